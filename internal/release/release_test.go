package release

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
)

func input(t *testing.T) Input {
	t.Helper()
	src, err := report.Parse("r.md", []byte("---\ntitle: Harbour reopens\nslug: harbour\ndate: 2026-05-02\nsummary: Ships return.\n---\n\nThe harbour reopened on *Monday*.\n\n- ferries\n- cargo\n"), report.Options{Targets: []string{"fr", "ar"}})
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Source: *src, SourceSHA256: "src", Version: 3, PublishedAt: time.Date(2026, 5, 3, 10, 0, 0, 0, time.UTC),
		Approvals: []Approval{{Locale: "fr", By: "claire", At: time.Date(2026, 5, 3, 9, 0, 0, 0, time.UTC)}}}
	for i, l := range []string{"fr", "ar"} {
		tr := report.Translation{Slug: "harbour", Source: "en", Locale: l}
		for _, s := range src.Segments {
			tr.Segments = append(tr.Segments, report.TranslatedSegment{ID: s.ID, Text: l + ": " + s.Text, Provenance: "mt:pseudo"})
		}
		in.Translations = append(in.Translations, tr)
		in.DraftSHA256 = append(in.DraftSHA256, []string{"d-fr", "d-ar"}[i])
	}
	return in
}

func TestBuildListsEveryObjectInTheManifest(t *testing.T) {
	files, m, err := Build(input(t))
	if err != nil {
		t.Fatal(err)
	}
	last := files[len(files)-1]
	if last.Key != store.ManifestKey("harbour", 3) {
		t.Fatalf("manifest is not written last: %s", last.Key)
	}
	var decoded Manifest
	if err := json.Unmarshal(last.Body, &decoded); err != nil {
		t.Fatal(err)
	}
	if len(decoded.Objects) != len(files)-1 || len(files)-1 != 4*3+2+1 { // the claim, four objects per locale and a provenance per target
		t.Fatalf("%d objects listed for %d files", len(decoded.Objects), len(files))
	}
	for i, o := range decoded.Objects {
		f := files[i]
		if o.Key != f.Key || o.SHA256 != store.SHA256(f.Body) || o.Size != int64(len(f.Body)) || o.Type != f.Meta.ContentType {
			t.Errorf("object %d: %+v does not describe %s", i, o, f.Key)
		}
		if !strings.HasPrefix(f.Key, "releases/harbour/v3/") || f.Meta.CacheControl != CacheImmutable {
			t.Errorf("%s: not an immutable release object", f.Key)
		}
	}
	if m.Titles["ar"] != "ar: Harbour reopens" || m.Summaries["fr"] != "fr: Ships return." {
		t.Errorf("titles/summaries: %v %v", m.Titles, m.Summaries)
	}
	if len(m.Drafts) != 2 || m.Drafts[1].Key != store.DraftKey("harbour", "src", "ar", "d-ar") {
		t.Errorf("drafts: %+v", m.Drafts)
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	a, _, err := Build(input(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Build(input(t))
	for i := range a {
		if a[i].Key != b[i].Key || !bytes.Equal(a[i].Body, b[i].Body) {
			t.Fatalf("%s differs between two builds: a retried publish would conflict", a[i].Key)
		}
	}
}

func TestContentIDFollowsTheTexts(t *testing.T) {
	base := input(t).ContentID()
	if input(t).ContentID() != base {
		t.Fatal("content ID is not stable")
	}
	prov := input(t)
	prov.Translations[0].Segments[0].Provenance = "tm-exact"
	prov.DraftSHA256[0] = "another-draft"
	if prov.ContentID() != base {
		t.Error("provenance alone changed the content ID: republishing the same texts would make a new version")
	}
	text := input(t)
	text.Translations[1].Segments[2].Text += "!"
	src := input(t)
	src.SourceSHA256 = "other"
	for _, other := range []Input{text, src} {
		if other.ContentID() == base {
			t.Error("different texts gave the same content ID")
		}
	}
}

func TestMissingTranslationIsAnError(t *testing.T) {
	in := input(t)
	in.Translations[0].Segments = in.Translations[0].Segments[1:]
	if _, _, err := Build(in); err == nil || !strings.Contains(err.Error(), "fr translation has no text for segment") {
		t.Fatalf("got %v", err)
	}
}

// A rerun of a publish that stopped half-way — another run, a day later,
// with its own approval times and drafts of the same texts — rebuilds the
// claimed release byte for byte from the claim.
func TestStampRebuildsTheClaimedReleaseExactly(t *testing.T) {
	first, _, err := Build(input(t))
	if err != nil {
		t.Fatal(err)
	}
	var c Claim
	if err := json.Unmarshal(first[0].Body, &c); err != nil {
		t.Fatal(err)
	}
	later := input(t)
	later.Version = 4
	later.PublishedAt = later.PublishedAt.Add(24 * time.Hour)
	later.Approvals = []Approval{{Locale: "fr", By: "claire", At: later.PublishedAt}, {Locale: "ar", By: "amal", At: later.PublishedAt}}
	later.DraftSHA256 = []string{"d-fr-2", "d-ar-2"}
	if unstamped, _, _ := Build(later); bytes.Equal(unstamped[1].Body, first[1].Body) {
		t.Fatal("the page does not depend on the publish time: this test proves nothing")
	}
	stamped, err := later.Stamp(c)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := Build(stamped)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(first) {
		t.Fatalf("%d objects, claimed release had %d", len(again), len(first))
	}
	for i := range first {
		if again[i].Key != first[i].Key || !bytes.Equal(again[i].Body, first[i].Body) {
			t.Errorf("%s differs from the claimed release", first[i].Key)
		}
	}

	other := input(t)
	other.Translations[0].Segments[0].Text = "fr: changed"
	if _, err := other.Stamp(c); err == nil {
		t.Error("a claim of other content stamped this input")
	}
	c.PublishedAt = time.Time{}
	if _, err := input(t).Stamp(c); err == nil {
		t.Error("a claim without a publish time (written by an older Pressroom) stamped the input")
	}
}
