// Package sitelist keeps each locale's list of published reports on the
// reader site incrementally: a publish touches a constant number of small
// objects whatever the size of the site, and concurrent publishes never
// lose each other's entries.
//
// Per locale the list is
//
//	site/<locale>/list.json            head: the newest entries, the size of every archive page
//	site/<locale>/list/<n>.json        archive page n: the entries first listed there
//	site/<locale>/list/slugs/<s>.json  which archive page lists report s (written once)
//
// The reader site renders the front page (the newest reports, links to
// the archive pages) and archive page n from these objects when they are
// asked for (Front, Archive): a publish writes data only, never HTML that
// would have to be kept in step with it. The head and the pages are read
// with their ETag and written back with If-Match (If-None-Match: * for the
// first write); a lost race reads again and retries, so an update can
// never overwrite one it did not see.
package sitelist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/store"
)

// PageSize is how many reports the front page and each archive page list.
// A page may end up a few entries longer when publishes race for its last
// places; no entry is ever moved or lost.
const PageSize = 50

// maxRaces bounds how often one update retries after losing a race; the
// caller (a Temporal activity) retries the whole publish after that.
const maxRaces = 64

// Entry is one report in a locale's list.
type Entry struct {
	Slug        string    `json:"slug"`
	Title       string    `json:"title"`
	Summary     string    `json:"summary,omitempty"`
	Date        string    `json:"date,omitempty"`
	PublishedAt time.Time `json:"published_at"`
	Version     int       `json:"version"`
	// Locales are the report's locales, source first: the sitemap's
	// hreflang alternates. Entries written before it was recorded have none.
	Locales []string `json:"locales,omitempty"`
}

// Head is site/<locale>/list.json.
type Head struct {
	Locale  string   `json:"locale"`
	Rev     uint64   `json:"rev"`     // bumped by every update (see updateHead)
	Sizes   []int    `json:"sizes"`   // entries on archive page i+1
	Recent  []Entry  `json:"recent"`  // newest first, at most PageSize
	Locales []string `json:"locales"` // every locale the listed reports are in, first seen first
}

// Total is the number of reports in the list.
func (h Head) Total() int {
	n := 0
	for _, s := range h.Sizes {
		n += s
	}
	return n
}

// Page is site/<locale>/list/<n>.json.
type Page struct {
	Locale  string   `json:"locale"`
	Number  int      `json:"number"`
	Entries []Entry  `json:"entries"` // in the order they were first listed
	Locales []string `json:"locales"`
}

type slot struct {
	Page int `json:"page"`
}

// Objects is what the list needs from the store.
type Objects interface {
	Reader
	PutIfMatch(ctx context.Context, key string, body []byte, meta store.Meta, etag string) (string, error)
}

// List updates the lists in one bucket.
type List struct {
	Store Objects
	// Progress, when set, is told about each step (a Temporal heartbeat).
	Progress func(string)
}

var jsonMeta = store.Meta{ContentType: "application/json", CacheControl: "no-cache"}

// Add lists a report in locale, or updates its entry. reportLocales are the report's locales (for the
// language switcher). Repeating an Add is harmless: it converges on the
// same objects.
func (l *List) Add(ctx context.Context, locale string, e Entry, reportLocales []string) error {
	n, err := l.slot(ctx, locale, e.Slug)
	if err != nil {
		return err
	}
	_, err = update(ctx, l.Store, store.SiteListPageKey(locale, n), func(p *Page) error {
		p.Locale, p.Number = locale, n
		if i := slices.IndexFunc(p.Entries, func(x Entry) bool { return x.Slug == e.Slug }); i >= 0 {
			p.Entries[i] = e
		} else {
			p.Entries = append(p.Entries, e)
		}
		p.Locales = union(p.Locales, reportLocales)
		return nil
	})
	if err != nil {
		return err
	}
	l.progress("list page " + locale)
	if _, err := updateHead(ctx, l.Store, store.SiteListKey(locale), func(h *Head) error {
		h.Locale = locale
		for len(h.Sizes) < n {
			h.Sizes = append(h.Sizes, 0)
		}
		if err := l.recount(ctx, locale, h, n); err != nil {
			return err
		}
		h.Recent = slices.DeleteFunc(h.Recent, func(x Entry) bool { return x.Slug == e.Slug })
		h.Recent = append(h.Recent, e)
		sortNewestFirst(h.Recent)
		if len(h.Recent) > PageSize {
			h.Recent = h.Recent[:PageSize]
		}
		h.Locales = union(h.Locales, reportLocales)
		return nil
	}); err != nil {
		return err
	}
	l.progress("list head " + locale)
	return nil
}

// Remove takes a report off locale's list (an unpublish). Its archive
// slot is kept, so listing it again puts it back on the same page.
// Removing a report that is not listed changes nothing.
func (l *List) Remove(ctx context.Context, locale, slug string) error {
	var s slot
	ok, _, err := read(ctx, l.Store, store.SiteListSlotKey(locale, slug), &s)
	if err != nil || !ok {
		return err
	}
	listed := func(x Entry) bool { return x.Slug == slug }
	if _, err := update(ctx, l.Store, store.SiteListPageKey(locale, s.Page), func(p *Page) error {
		p.Entries = slices.DeleteFunc(p.Entries, listed)
		return nil
	}); err != nil {
		return err
	}
	if _, err := updateHead(ctx, l.Store, store.SiteListKey(locale), func(h *Head) error {
		h.Recent = slices.DeleteFunc(h.Recent, listed)
		if s.Page <= len(h.Sizes) {
			if err := l.recount(ctx, locale, h, s.Page); err != nil {
				return err
			}
		}
		if len(h.Recent) < PageSize && h.Total() > len(h.Recent) {
			return l.refill(ctx, locale, h, slug)
		}
		return nil
	}); err != nil {
		return err
	}
	l.progress("list remove " + locale)
	return nil
}

// Listed returns slug's entry in locale's list, and whether it is there:
// on its archive page or among the head's recent entries (a Remove
// stopped between the two leaves it in one of them).
func (l *List) Listed(ctx context.Context, locale, slug string) (Entry, bool, error) {
	var s slot
	ok, _, err := read(ctx, l.Store, store.SiteListSlotKey(locale, slug), &s)
	if err != nil || !ok {
		return Entry{}, false, err
	}
	is := func(x Entry) bool { return x.Slug == slug }
	var p Page
	if _, _, err := read(ctx, l.Store, store.SiteListPageKey(locale, s.Page), &p); err != nil {
		return Entry{}, false, err
	}
	if i := slices.IndexFunc(p.Entries, is); i >= 0 {
		return p.Entries[i], true, nil
	}
	var h Head
	if _, _, err := read(ctx, l.Store, store.SiteListKey(locale), &h); err != nil {
		return Entry{}, false, err
	}
	if i := slices.IndexFunc(h.Recent, is); i >= 0 {
		return h.Recent[i], true, nil
	}
	return Entry{}, false, nil
}

// recount sets the head's size of archive page n from the page as it is
// now, read inside the head's conditional update: whichever of racing
// updates writes the head last read the page after every page write
// whose head update came before it, so the count is never one update's
// stale snapshot (an Add and a Remove of the same page at once).
func (l *List) recount(ctx context.Context, locale string, h *Head, n int) error {
	var p Page
	if _, _, err := read(ctx, l.Store, store.SiteListPageKey(locale, n), &p); err != nil {
		return err
	}
	h.Sizes[n-1] = len(p.Entries)
	return nil
}

// refill tops the head's recent entries back up to PageSize from the
// archive pages after a Remove (but the removed slug), so the front page
// and the feed stay full. It reads every archive page: unpublishing is
// rare, publishing never calls it.
func (l *List) refill(ctx context.Context, locale string, h *Head, removed string) error {
	var more []Entry
	for n := 1; n <= len(h.Sizes); n++ {
		var p Page
		if _, _, err := read(ctx, l.Store, store.SiteListPageKey(locale, n), &p); err != nil {
			return err
		}
		for _, e := range p.Entries {
			if e.Slug != removed && !slices.ContainsFunc(h.Recent, func(x Entry) bool { return x.Slug == e.Slug }) {
				more = append(more, e)
			}
		}
	}
	sortNewestFirst(more)
	h.Recent = append(h.Recent, more[:min(len(more), PageSize-len(h.Recent))]...)
	sortNewestFirst(h.Recent)
	return nil
}

// slot returns the archive page that lists slug, choosing one the first
// time: the last page, or a new one when the head counts the last page
// full. The head's counts are recounted by every update; publishes racing
// for a page's last places may put a few more than PageSize on it (and
// an unpublish racing the choice may leave a place free: harmless).
func (l *List) slot(ctx context.Context, locale, slug string) (int, error) {
	key := store.SiteListSlotKey(locale, slug)
	var s slot
	if ok, _, err := read(ctx, l.Store, key, &s); err != nil || ok {
		return s.Page, err
	}
	var h Head
	if _, _, err := read(ctx, l.Store, store.SiteListKey(locale), &h); err != nil {
		return 0, err
	}
	n := max(len(h.Sizes), 1)
	if n <= len(h.Sizes) && h.Sizes[n-1] >= PageSize {
		n++
	}
	b, _ := json.Marshal(slot{Page: n})
	if _, err := l.Store.PutIfMatch(ctx, key, b, jsonMeta, ""); err != nil {
		if !errors.Is(err, store.ErrChanged) {
			return 0, err
		}
		// Another attempt of this publish chose first: its choice stands.
		if _, _, err := read(ctx, l.Store, key, &s); err != nil {
			return 0, err
		}
		return s.Page, nil
	}
	return n, nil
}

// update reads a JSON object with its ETag, applies change and writes it
// back on that condition, retrying on a lost race. A change that leaves
// the bytes as they were writes nothing.
//
// A head's change reads other objects (an archive page's count, the
// refill), so updateHead bumps its revision: every head update writes
// new bytes, and racing ones serialize on the ETag. Without it an update
// that changed nothing would write nothing (or, rewriting the same
// bytes, keep the same content-derived ETag), and a racer that read an
// older archive page could still win its If-Match.
func updateHead(ctx context.Context, s Objects, key string, change func(*Head) error) (Head, error) {
	return update(ctx, s, key, func(h *Head) error {
		if err := change(h); err != nil {
			return err
		}
		h.Rev++
		return nil
	})
}

func update[T any](ctx context.Context, s Objects, key string, change func(*T) error) (T, error) {
	for race := 0; ; race++ {
		var v T
		ok, old, err := readRaw(ctx, s, key, &v)
		if err != nil {
			return v, err
		}
		if err := change(&v); err != nil {
			return v, err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return v, err
		}
		if ok.exists && bytes.Equal(b, ok.body) {
			return v, nil
		}
		if _, err := s.PutIfMatch(ctx, key, b, jsonMeta, old); err == nil {
			return v, nil
		} else if !errors.Is(err, store.ErrChanged) {
			return v, err
		}
		if race >= maxRaces {
			return v, fmt.Errorf("sitelist: %s: lost %d races in a row; will retry", key, race+1)
		}
		if err := backoff(ctx, race); err != nil {
			return v, err
		}
	}
}

type stored struct {
	exists bool
	body   []byte
}

func readRaw(ctx context.Context, s Reader, key string, v any) (stored, string, error) {
	b, tag, err := s.GetWithETag(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return stored{}, "", nil
	}
	if err != nil {
		return stored{}, "", err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return stored{}, "", fmt.Errorf("sitelist: %s is not a valid list object: %w", key, err)
	}
	return stored{exists: true, body: b}, tag, nil
}

func read(ctx context.Context, s Reader, key string, v any) (bool, string, error) {
	st, tag, err := readRaw(ctx, s, key, v)
	return st.exists, tag, err
}

// backoff waits a little, with jitter, before a retry after a lost race.
func backoff(ctx context.Context, race int) error {
	d := time.Duration(1+rand.IntN(10*min(race+1, 10))) * time.Millisecond
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

func (l *List) progress(s string) {
	if l.Progress != nil {
		l.Progress(s)
	}
}

func union(have, add []string) []string {
	for _, a := range add {
		if !slices.Contains(have, a) {
			have = append(have, a)
		}
	}
	return have
}

// sortNewestFirst orders by publish time; the slug breaks ties so the
// bytes are stable.
func sortNewestFirst(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Slug, b.Slug)
	})
}
