package releases

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/releases/releasetest"
	"github.com/pressroom/pressroom/internal/s3test"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

func TestMain(m *testing.M) { s3test.Main(m) }

var day = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// listed says whether locale's list has slug, and with which alternates.
func listed(t *testing.T, st *store.Store, locale, slug string) (bool, []string) {
	t.Helper()
	e, ok, err := (&sitelist.List{Store: st}).Listed(context.Background(), locale, slug)
	if err != nil {
		t.Fatal(err)
	}
	return ok, e.Locales
}

func present(t *testing.T, st *store.Store, key string) bool {
	t.Helper()
	ok, err := exists(context.Background(), st, key)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// Issue 10 review: an unpublish stopped after the page was deleted (the
// tombstone there, the page gone, the list not yet updated) is finished
// by running it again, and refused only once nothing is left to do.
func TestUnpublishRetryFinishesPartialRun(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "partial-unpublish"
	releasetest.Publish(t, st, slug, 1, []string{"fr", "ar"}, day)
	// The first run's steps for fr, by hand, up to the crash.
	if _, err := st.Put(ctx, store.WithdrawnKey(slug, "fr"), []byte(`{"by":"edith","reason":"first run"}`), store.Meta{ContentType: "application/json"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, store.SitePageKey("fr", slug)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := listed(t, st, "fr", slug); !ok {
		t.Fatal("the simulated partial run took the report off the list, so this test proves nothing")
	}
	mv, err := Unpublish(ctx, st, slug, []string{"fr"}, "edith", "retry", day.Add(time.Hour))
	if err != nil {
		t.Fatalf("the retry: %v", err)
	}
	if !slices.Equal(mv.Locales, []string{"fr"}) {
		t.Errorf("the retry withdrew %v, want [fr]", mv.Locales)
	}
	if ok, _ := listed(t, st, "fr", slug); ok {
		t.Error("fr list still has the withdrawn report after the retry")
	}
	for _, l := range []string{"en", "ar"} {
		if ok, alts := listed(t, st, l, slug); !ok || !slices.Equal(alts, []string{"en", "ar"}) {
			t.Errorf("%s entry: listed %v, alternates %v; want [en ar]", l, ok, alts)
		}
	}
	if b, _ := st.Get(ctx, store.WithdrawnKey(slug, "fr")); string(b) != `{"by":"edith","reason":"first run"}` {
		t.Errorf("the retry rewrote the first run's tombstone: %s", b)
	}
	_, err = Unpublish(ctx, st, slug, []string{"fr"}, "edith", "again", day.Add(2*time.Hour))
	var r *RefusedError
	if !errors.As(err, &r) || r.Type != AlreadyUnpublished {
		t.Errorf("a third run with nothing left to do: %v, want an %s refusal", err, AlreadyUnpublished)
	}
	if b, err := sitelist.Front(ctx, st, "fr"); err != nil || strings.Contains(string(b), slug) {
		t.Errorf("the fr front page still names the withdrawn report (%v): %s", err, b)
	}
}

// A run stopped after the list was updated but before the other pages'
// alternates were rewritten is finished too.
func TestUnpublishRetryFinishesAlternates(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "partial-alternates"
	releasetest.Publish(t, st, slug, 1, []string{"fr", "ar"}, day)
	if _, err := st.Put(ctx, store.WithdrawnKey(slug, "ar"), []byte(`{}`), store.Meta{ContentType: "application/json"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, store.SitePageKey("ar", slug)); err != nil {
		t.Fatal(err)
	}
	if err := (&sitelist.List{Store: st}).Remove(ctx, "ar", slug); err != nil {
		t.Fatal(err)
	}
	if _, err := Unpublish(ctx, st, slug, []string{"ar"}, "edith", "retry", day.Add(time.Hour)); err != nil {
		t.Fatalf("the retry: %v", err)
	}
	for _, l := range []string{"en", "fr"} {
		if _, alts := listed(t, st, l, slug); !slices.Equal(alts, []string{"en", "fr"}) {
			t.Errorf("%s entry's alternates %v; want [en fr]", l, alts)
		}
	}
}

// Issue 10 review: a page served from an older release (v1 had es, v2
// has not) is withdrawn with the others, and can be withdrawn by name.
func TestUnpublishWithdrawsPagesOfOlderReleases(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "fewer-targets"
	releasetest.Publish(t, st, slug, 1, []string{"fr", "es"}, day)
	releasetest.Publish(t, st, slug, 2, []string{"fr"}, day.Add(time.Hour))
	if !present(t, st, store.SitePageKey("es", slug)) {
		t.Fatal("v2 removed the es page, so this test proves nothing")
	}
	mv, err := Unpublish(ctx, st, slug, []string{"es"}, "edith", "the Spanish text only", day.Add(2*time.Hour))
	if err != nil {
		t.Fatalf("unpublish --locale es of a page served from v1: %v", err)
	}
	if !slices.Equal(mv.Locales, []string{"es"}) || present(t, st, store.SitePageKey("es", slug)) {
		t.Errorf("withdrew %v; es page still there: %v", mv.Locales, present(t, st, store.SitePageKey("es", slug)))
	}
	if ok, _ := listed(t, st, "es", slug); ok {
		t.Error("es list still has it")
	}
	if gone, err := Unpublished(ctx, st, slug); err != nil || !slices.Equal(gone, []string{"es"}) {
		t.Errorf("Unpublished = %v %v, want [es]", gone, err)
	}

	const all = "fewer-targets-all"
	releasetest.Publish(t, st, all, 1, []string{"fr", "es"}, day)
	releasetest.Publish(t, st, all, 2, []string{"fr"}, day.Add(time.Hour))
	mv, err = Unpublish(ctx, st, all, nil, "edith", "everything", day.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mv.Locales, []string{"en", "fr", "es"}) {
		t.Errorf("an unpublish of every locale withdrew %v, want [en fr es]", mv.Locales)
	}
	for _, l := range []string{"en", "fr", "es"} {
		if present(t, st, store.SitePageKey(l, all)) {
			t.Errorf("%s page still served", l)
		}
		if ok, _ := listed(t, st, l, all); ok {
			t.Errorf("%s list still has it", l)
		}
	}
	if _, err := Unpublish(ctx, st, all, []string{"de"}, "edith", "x", day); !errors.Is(err, ErrNotFound) {
		t.Errorf("a locale never published: %v, want ErrNotFound", err)
	}
}

// Issue 10 review: an unpublish revokes the report's preview links made
// until then, so a withdrawn report's drafts are not viewable through an
// earlier link.
func TestUnpublishRevokesPreviewLinks(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "previewed-then-withdrawn"
	releasetest.Publish(t, st, slug, 1, []string{"fr"}, day)
	at := time.Now()
	link := preview.Claims{ID: preview.NewID(), Slug: slug, Locales: []string{"fr"}, Issued: at.Add(-time.Minute).UnixNano()}
	if err := preview.Check(ctx, st, link); err != nil {
		t.Fatalf("the link before the unpublish: %v", err)
	}
	if _, err := Unpublish(ctx, st, slug, []string{"fr"}, "edith", "withdrawn", at); err != nil {
		t.Fatal(err)
	}
	if err := preview.Check(ctx, st, link); !errors.Is(err, preview.ErrRevoked) {
		t.Errorf("the link after the unpublish: %v, want %v", err, preview.ErrRevoked)
	}
	later := link
	later.ID, later.Issued = preview.NewID(), at.Add(time.Minute).UnixNano()
	if err := preview.Check(ctx, st, later); err != nil {
		t.Errorf("a link made after the unpublish: %v", err)
	}
}
