package sitelist

import (
	"context"
	"strings"
	"sync"
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
	for _, n := range []int{0, 1} {
		if html := m.page(t, "fr", n); strings.Contains(html, gone.Slug) {
			t.Errorf("list page %d still links %s", n, gone.Slug)
		} else if !strings.Contains(html, entry(0).Slug) {
			t.Errorf("list page %d lost %s", n, entry(0).Slug)
		}
	}
	if err := l.Remove(ctx, "fr", "never-listed"); err != nil {
		t.Errorf("removing an unlisted report: %v", err)
	}
	if err := l.Add(ctx, "fr", gone, []string{"en", "fr"}); err != nil {
		t.Fatal(err)
	}
	m.get(t, store.SiteListKey("fr"), &h)
	if h.Total() != 3 || !strings.Contains(m.page(t, "fr", 0), gone.Slug) {
		t.Errorf("listed again: total %d, front page lacks it", h.Total())
	}
}

// hookStore runs hook once, right after the first conditional write of
// key: another update landing between two steps of the one under test.
type hookStore struct {
	*memStore
	key  string
	hook func()
	once sync.Once
}

func (h *hookStore) PutIfMatch(ctx context.Context, key string, body []byte, meta store.Meta, etag string) (string, error) {
	tag, err := h.memStore.PutIfMatch(ctx, key, body, meta, etag)
	if err == nil && key == h.key {
		h.once.Do(h.hook)
	}
	return tag, err
}

// Issue 10 review: an Add on the same archive page landing between a
// Remove's page write and its head write is counted: the head's size of
// the page is the page's, not the Remove's snapshot.
func TestRemoveRacingAddOnSamePageCountsBoth(t *testing.T) {
	ctx := context.Background()
	m := newMem()
	for i := range 3 {
		if err := (&List{Store: m}).Add(ctx, "fr", entry(i), []string{"en", "fr"}); err != nil {
			t.Fatal(err)
		}
	}
	raced := false
	hs := &hookStore{memStore: m, key: store.SiteListPageKey("fr", 1), hook: func() {
		raced = true
		if err := (&List{Store: m}).Add(ctx, "fr", entry(3), []string{"en", "fr"}); err != nil {
			t.Error(err)
		}
	}}
	if err := (&List{Store: hs}).Remove(ctx, "fr", entry(1).Slug); err != nil {
		t.Fatal(err)
	}
	if !raced {
		t.Fatal("the Add never ran between the Remove's writes, so this test proves nothing")
	}
	var h Head
	m.get(t, store.SiteListKey("fr"), &h)
	var p Page
	m.get(t, store.SiteListPageKey("fr", 1), &p)
	if len(p.Entries) != 3 || h.Total() != 3 || len(h.Recent) != 3 {
		t.Errorf("page 1 has %d entries; head counts %d, recent %d; want 3, 3, 3", len(p.Entries), h.Total(), len(h.Recent))
	}
}

// Many Adds and Removes at once on the same pages: the head's sizes are
// the pages' sizes and every report still listed is.
func TestConcurrentAddsAndRemovesAgree(t *testing.T) {
	ctx := context.Background()
	m := newMem()
	l := &List{Store: m}
	const n = PageSize + 10
	for i := range n {
		if err := l.Add(ctx, "fr", entry(i), []string{"en", "fr"}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				errs <- l.Remove(ctx, "fr", entry(i).Slug)
			} else {
				errs <- l.Add(ctx, "fr", entry(n+i), []string{"en", "fr"})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var h Head
	m.get(t, store.SiteListKey("fr"), &h)
	total := 0
	for p := 1; p <= len(h.Sizes); p++ {
		var pg Page
		m.get(t, store.SiteListPageKey("fr", p), &pg)
		total += len(pg.Entries)
		if len(pg.Entries) != h.Sizes[p-1] {
			t.Errorf("page %d has %d entries, head says %d", p, len(pg.Entries), h.Sizes[p-1])
		}
	}
	if want := n - n/2 + n/2; total != want || h.Total() != want {
		t.Errorf("listed %d, head counts %d; want %d", total, h.Total(), want)
	}
	if len(h.Recent) != PageSize {
		t.Errorf("recent has %d entries, want %d", len(h.Recent), PageSize)
	}
}

// Removing a report from a full front page brings the next newest one
// from the archive, so the front page and the feed stay full.
func TestRemoveRefillsRecent(t *testing.T) {
	ctx := context.Background()
	m := newMem()
	l := &List{Store: m}
	const n = PageSize + 5
	for i := range n {
		if err := l.Add(ctx, "fr", entry(i), []string{"en", "fr"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Remove(ctx, "fr", entry(n-1).Slug); err != nil {
		t.Fatal(err)
	}
	var h Head
	m.get(t, store.SiteListKey("fr"), &h)
	if len(h.Recent) != PageSize || h.Recent[0].Slug != entry(n-2).Slug || h.Recent[PageSize-1].Slug != entry(n-1-PageSize).Slug {
		t.Fatalf("recent after removing the newest: %d entries, %s … %s", len(h.Recent), h.Recent[0].Slug, h.Recent[len(h.Recent)-1].Slug)
	}
	if !strings.Contains(m.page(t, "fr", 0), `href="`+entry(n-1-PageSize).Slug+`/"`) {
		t.Error("the front page does not show the report that moved up")
	}
}
