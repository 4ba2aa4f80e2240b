package sitelist

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/store"
)

// memStore is an object store with S3's conditional-write semantics: the
// ETag is the content's hash, If-Match and If-None-Match: * are checked
// atomically with the write. Integration tests run the same code against
// versitygw.
type memStore struct {
	mu      sync.Mutex
	objects map[string][]byte
	puts    int
}

func newMem() *memStore { return &memStore{objects: map[string][]byte{}} }

func (m *memStore) GetWithETag(_ context.Context, key string) ([]byte, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.objects[key]
	if !ok {
		return nil, "", fmt.Errorf("%s: %w", key, store.ErrNotFound)
	}
	return b, store.SHA256(b), nil
}

func (m *memStore) PutIfMatch(_ context.Context, key string, body []byte, _ store.Meta, etag string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.objects[key]
	if (etag == "" && ok) || (etag != "" && (!ok || store.SHA256(cur) != etag)) {
		return "", fmt.Errorf("%s: %w", key, store.ErrChanged)
	}
	m.objects[key] = body
	m.puts++
	return store.SHA256(body), nil
}

// page renders locale's list page n (0: the front page) as the reader
// site does.
func (m *memStore) page(t *testing.T, locale string, n int) string {
	t.Helper()
	var b []byte
	var err error
	if n == 0 {
		b, err = Front(context.Background(), m, locale)
	} else {
		b, err = Archive(context.Background(), m, locale, n)
	}
	if err != nil {
		t.Fatalf("%s page %d: %v", locale, n, err)
	}
	return string(b)
}

func (m *memStore) get(t *testing.T, key string, v any) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.objects[key]
	if !ok {
		t.Fatalf("%s missing", key)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	return string(b)
}

func entry(i int) Entry {
	return Entry{Slug: fmt.Sprintf("report-%03d", i), Title: fmt.Sprintf("Report %d", i), Version: 1,
		PublishedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)}
}

// Many publishes at once, each adding its report (and some adding it
// twice, as a retried activity would): every report is listed exactly
// once, on a page, and the rendered pages show them all.
func TestConcurrentAddsLoseNothing(t *testing.T) {
	m := newMem()
	l := &List{Store: m}
	const n = PageSize + 17
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- l.Add(context.Background(), "fr", entry(i), []string{"en", "fr"})
			if i%5 == 0 {
				errs <- l.Add(context.Background(), "fr", entry(i), []string{"en", "fr"})
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
	if h.Total() != n {
		t.Fatalf("head counts %d reports, want %d (sizes %v)", h.Total(), n, h.Sizes)
	}
	seen := map[string]int{}
	var archive strings.Builder
	for p := 1; p <= len(h.Sizes); p++ {
		var pg Page
		m.get(t, store.SiteListPageKey("fr", p), &pg)
		if len(pg.Entries) != h.Sizes[p-1] {
			t.Errorf("page %d has %d entries, head says %d", p, len(pg.Entries), h.Sizes[p-1])
		}
		for _, e := range pg.Entries {
			seen[e.Slug]++
			var s slot
			m.get(t, store.SiteListSlotKey("fr", e.Slug), &s)
			if s.Page != p {
				t.Errorf("%s is on page %d, its slot says %d", e.Slug, p, s.Page)
			}
		}
		archive.WriteString(m.page(t, "fr", p))
	}
	for i := range n {
		slug := entry(i).Slug
		if seen[slug] != 1 {
			t.Errorf("%s listed %d times", slug, seen[slug])
		}
		if !strings.Contains(archive.String(), `href="../../`+slug+`/"`) {
			t.Errorf("no archive page links %s", slug)
		}
	}
	// The front page shows the newest PageSize, newest first.
	front := m.page(t, "fr", 0)
	if len(h.Recent) != PageSize || h.Recent[0].Slug != entry(n-1).Slug {
		t.Errorf("recent: %d entries, first %s", len(h.Recent), h.Recent[0].Slug)
	}
	if !strings.Contains(front, `href="`+entry(n-1).Slug+`/"`) || strings.Contains(front, `href="`+entry(0).Slug+`/"`) {
		t.Error("front page does not show exactly the newest reports")
	}
	for p := 1; p <= len(h.Sizes); p++ {
		if !strings.Contains(front, fmt.Sprintf(`href="page/%d/"`, p)) {
			t.Errorf("front page does not link archive page %d", p)
		}
	}
}

// A republished report keeps its archive place and its entry is updated;
// it moves to the top of the front page.
func TestRepublishUpdatesInPlace(t *testing.T) {
	m := newMem()
	l := &List{Store: m}
	ctx := context.Background()
	for i := range PageSize + 3 {
		if err := l.Add(ctx, "ar", entry(i), []string{"en", "ar"}); err != nil {
			t.Fatal(err)
		}
	}
	e := entry(1)
	e.Title, e.Version, e.PublishedAt = "Revised title", 2, entry(PageSize+10).PublishedAt
	if err := l.Add(ctx, "ar", e, []string{"en", "ar"}); err != nil {
		t.Fatal(err)
	}
	var h Head
	m.get(t, store.SiteListKey("ar"), &h)
	if h.Total() != PageSize+3 || h.Recent[0].Slug != e.Slug || h.Recent[0].Title != "Revised title" {
		t.Fatalf("after republish: total %d, newest %+v", h.Total(), h.Recent[0])
	}
	var p1 Page
	m.get(t, store.SiteListPageKey("ar", 1), &p1)
	if p1.Entries[1].Slug != e.Slug || p1.Entries[1].Version != 2 {
		t.Errorf("archive page 1 entry 1 = %+v", p1.Entries[1])
	}
	if !strings.Contains(m.page(t, "ar", 1), `rel="next" href="../2/"`) {
		t.Error("page 1 does not link to page 2")
	}
	// An Add that changes nothing writes only the head's revision.
	before := m.puts
	if err := l.Add(ctx, "ar", e, []string{"en", "ar"}); err != nil {
		t.Fatal(err)
	}
	if got := m.puts - before; got != 1 {
		t.Errorf("a repeated Add wrote %d objects, want 1 (the head)", got)
	}
}

// A list object that cannot be read is a clear error naming it.
func TestCorruptListIsAClearError(t *testing.T) {
	m := newMem()
	m.objects[store.SiteListKey("fr")] = []byte("{not json")
	err := (&List{Store: m}).Add(context.Background(), "fr", entry(1), []string{"en", "fr"})
	if err == nil || !strings.Contains(err.Error(), store.SiteListKey("fr")) {
		t.Fatalf("got %v", err)
	}
}
