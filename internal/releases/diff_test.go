package releases

import (
	"slices"
	"testing"

	"github.com/pressroom/pressroom/internal/catalog"
)

func msg(id, desc, hash, text string) catalog.Message {
	return catalog.Message{ID: id, Description: desc, Hash: hash, Text: text}
}

func TestDiffMessages(t *testing.T) {
	prev := []catalog.Message{
		msg("title", "title", "sha1-a", "Titre"),
		msg("p1", "paragraph", "sha1-b", "Un."),
		msg("p2", "paragraph", "sha1-c", "Deux."),
		msg("p3", "paragraph", "sha1-d", "Trois."),
		msg("p4", "paragraph", "sha1-e", "Quatre."),
	}
	cur := []catalog.Message{
		msg("title", "title", "sha1-a", "Titre"),         // same
		msg("p1", "paragraph", "sha1-b", "Un, corrigé."), // translation changed
		msg("p2", "paragraph", "sha1-X", "Deux."),        // source changed, translation kept
		msg("p4", "heading", "sha1-e", "Quatre."),        // kind changed
		msg("p5", "paragraph", "sha1-f", "Cinq."),        // new
	}
	got := DiffMessages("fr", prev, cur)
	if !slices.Equal(got.Added, []string{"p5"}) || !slices.Equal(got.Changed, []string{"p1", "p2", "p4"}) || !slices.Equal(got.Removed, []string{"p3"}) {
		t.Errorf("diff = %+v", got)
	}
	if got.Unchanged() {
		t.Error("a diff with changes says unchanged")
	}
	if same := DiffMessages("fr", prev, prev); !same.Unchanged() {
		t.Errorf("identical catalogs: %+v", same)
	}
}

func TestDiffReleasesNewAndDroppedLocales(t *testing.T) {
	en := []catalog.Message{msg("p1", "paragraph", "", "One.")}
	fr := []catalog.Message{msg("p1", "paragraph", "sha1-a", "Un.")}
	ar := []catalog.Message{msg("p1", "paragraph", "sha1-a", "واحد.")}
	got := diffReleases([]string{"en", "ar"}, []string{"en", "fr"},
		map[string][]catalog.Message{"en": en, "fr": fr},
		map[string][]catalog.Message{"en": en, "ar": ar})
	if len(got) != 3 {
		t.Fatalf("want en, ar, fr; got %+v", got)
	}
	if got[0].Locale != "en" || !got[0].Unchanged() {
		t.Errorf("en: %+v", got[0])
	}
	if got[1].Locale != "ar" || !got[1].New || !slices.Equal(got[1].Added, []string{"p1"}) {
		t.Errorf("ar: %+v", got[1])
	}
	if got[2].Locale != "fr" || !got[2].Dropped || !slices.Equal(got[2].Removed, []string{"p1"}) {
		t.Errorf("fr: %+v", got[2])
	}
	// The first release: everything is new.
	first := diffReleases([]string{"en"}, nil, nil, map[string][]catalog.Message{"en": en})
	if !first[0].New || !slices.Equal(first[0].Added, []string{"p1"}) {
		t.Errorf("first release: %+v", first)
	}
}
