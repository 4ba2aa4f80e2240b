package sitelist

import (
	"context"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/store"
)

// An unpublished report leaves the head, its archive page and the
// rendered pages; listing it again puts it back on the same page.
func TestRemoveTakesReportOffAndAddPutsItBack(t *testing.T) {
	ctx := context.Background()
	m := newMem()
	l := &List{Store: m}
	for i := range 3 {
		if err := l.Add(ctx, "fr", entry(i), []string{"en", "fr"}); err != nil {
			t.Fatal(err)
		}
	}
	gone := entry(1)
	if err := l.Remove(ctx, "fr", gone.Slug); err != nil {
		t.Fatal(err)
	}
	var h Head
	m.get(t, store.SiteListKey("fr"), &h)
	for _, e := range h.Recent {
		if e.Slug == gone.Slug {
			t.Errorf("head still lists %s", gone.Slug)
		}
	}
	if h.Total() != 2 || len(h.Recent) != 2 {
		t.Errorf("after removal: total %d, recent %d; want 2 and 2", h.Total(), len(h.Recent))
	}
	var p Page
	m.get(t, store.SiteListPageKey("fr", 1), &p)
	if len(p.Entries) != 2 {
		t.Errorf("page 1 has %d entries, want 2", len(p.Entries))
	}
	for _, key := range []string{store.SiteIndexKey("fr"), store.SiteIndexPageKey("fr", 1)} {
		if html := m.get(t, key, nil); strings.Contains(html, gone.Slug) {
			t.Errorf("%s still links %s", key, gone.Slug)
		} else if !strings.Contains(html, entry(0).Slug) {
			t.Errorf("%s lost %s", key, entry(0).Slug)
		}
	}
	if err := l.Remove(ctx, "fr", "never-listed"); err != nil {
		t.Errorf("removing an unlisted report: %v", err)
	}
	if err := l.Add(ctx, "fr", gone, []string{"en", "fr"}); err != nil {
		t.Fatal(err)
	}
	m.get(t, store.SiteListKey("fr"), &h)
	if h.Total() != 3 || !strings.Contains(m.get(t, store.SiteIndexKey("fr"), nil), gone.Slug) {
		t.Errorf("listed again: total %d, front page lacks it", h.Total())
	}
}
