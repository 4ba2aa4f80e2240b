package sitelist

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/store"
)

type readHookStore struct {
	*memStore
	key     string
	written bool
	hook    func()
	once    sync.Once
}

func (h *readHookStore) PutIfMatch(ctx context.Context, key string, body []byte, meta store.Meta, etag string) (string, error) {
	tag, err := h.memStore.PutIfMatch(ctx, key, body, meta, etag)
	if err == nil && key == h.key {
		h.written = true
	}
	return tag, err
}

func (h *readHookStore) GetWithETag(ctx context.Context, key string) ([]byte, string, error) {
	b, tag, err := h.memStore.GetWithETag(ctx, key)
	if key == h.key && h.written {
		h.once.Do(h.hook)
	}
	return b, tag, err
}

// A Remove whose head update changes no byte races an Add on the same
// archive page: the Add recounted from the page before the Remove, so its
// head write must lose and recount again.
func TestHeadUpdateThatChangesNothingStillSerializes(t *testing.T) {
	ctx := context.Background()
	m := newMem()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(i int, at time.Duration) Entry { e := entry(i); e.PublishedAt = base.Add(at); return e }
	for i := range PageSize { // page 1: the 50 newest
		if err := (&List{Store: m}).Add(ctx, "fr", mk(i, time.Duration(100+i)*time.Hour), nil); err != nil {
			t.Fatal(err)
		}
	}
	y := mk(900, 0) // page 2, old: not among the recent
	if err := (&List{Store: m}).Add(ctx, "fr", y, nil); err != nil {
		t.Fatal(err)
	}
	x := mk(901, time.Hour) // page 2, old too
	hs := &readHookStore{memStore: m, key: store.SiteListPageKey("fr", 2), hook: func() {
		if err := (&List{Store: m}).Remove(ctx, "fr", y.Slug); err != nil {
			t.Error(err)
		}
	}}
	if err := (&List{Store: hs}).Add(ctx, "fr", x, nil); err != nil {
		t.Fatal(err)
	}
	var h Head
	m.get(t, store.SiteListKey("fr"), &h)
	var p Page
	m.get(t, store.SiteListPageKey("fr", 2), &p)
	if len(p.Entries) != h.Sizes[1] {
		t.Errorf("page 2 has %d entries, head says %d (total %d)", len(p.Entries), h.Sizes[1], h.Total())
	}
}
