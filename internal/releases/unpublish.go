package releases

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

// Gone is the tombstone of an unpublished page, withdrawn/<slug>/<locale>.json.
// The reader site answers 410 Gone where the page was when the page is
// missing and its tombstone is there.
type Gone struct {
	Slug    string    `json:"slug"`
	Locale  string    `json:"locale"`
	Version int       `json:"version"` // the release that was served
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Reason  string    `json:"reason"`
}

// ListEntry is a release's entry in one locale's list.
func ListEntry(m release.Manifest, locale string) sitelist.Entry {
	return sitelist.Entry{Slug: m.Slug, Title: m.Titles[locale], Summary: m.Summaries[locale], Date: m.Date,
		PublishedAt: m.PublishedAt, Version: m.Version, Locales: m.Locales}
}

// Unpublish withdraws a report's pages from the reader site — every
// locale, or the given ones: each page is replaced by its tombstone (so
// the site answers 410 Gone) and leaves its locale's list. Nothing under
// releases/<slug>/ is written but the history record: latest.json still
// names the release, so `rollback --to <that version>` or a publish puts
// the pages back. The caller makes sure no publish of slug is running.
func Unpublish(ctx context.Context, st *store.Store, slug string, locales []string, by, reason string, now time.Time) (Move, error) {
	if strings.TrimSpace(by) == "" || strings.TrimSpace(reason) == "" {
		return Move{}, refused("an unpublish needs who (--as) and why (--reason)")
	}
	if len(reason) > MaxReason {
		return Move{}, refused("the reason is %d bytes; at most %d", len(reason), MaxReason)
	}
	var cur release.Latest
	if err := st.GetJSON(ctx, store.LatestKey(slug), &cur); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Move{}, fmt.Errorf("%s has never been published: %w", slug, ErrNotFound)
		}
		return Move{}, err
	}
	var m release.Manifest
	if err := st.GetJSON(ctx, cur.Manifest, &m); err != nil {
		return Move{}, err
	}
	if len(locales) == 0 {
		locales = m.Locales
	}
	for _, l := range locales {
		if !slices.Contains(m.Locales, l) {
			return Move{}, fmt.Errorf("%s v%d has no %s page (its locales: %s): %w", slug, m.Version, l, strings.Join(m.Locales, ", "), ErrNotFound)
		}
	}
	gone, err := Unpublished(ctx, st, slug)
	if err != nil {
		return Move{}, err
	}
	var todo []string
	for _, l := range locales {
		if !slices.Contains(gone, l) {
			todo = append(todo, l)
		}
	}
	if len(todo) == 0 {
		return Move{}, refused("%s is already unpublished in %s", slug, strings.Join(locales, ", "))
	}
	mv := Move{Action: "unpublish", Slug: slug, From: cur.Version, Locales: todo, By: by, At: now.UTC(), Reason: reason}
	rec, _ := json.Marshal(mv)
	if _, err := st.PutImmutable(ctx, historyKey(slug, mv.At, "unpublish"), rec, store.Meta{ContentType: "application/json", CacheControl: release.CacheImmutable}); err != nil {
		return Move{}, err
	}
	list := sitelist.List{Store: st}
	for _, l := range todo {
		// Tombstone first, then the page goes: a reader never gets a 404
		// in between.
		b, _ := json.Marshal(Gone{Slug: slug, Locale: l, Version: cur.Version, By: by, At: mv.At, Reason: reason})
		if _, err := st.Put(ctx, store.WithdrawnKey(slug, l), b, store.Meta{ContentType: "application/json", CacheControl: "no-cache"}); err != nil {
			return Move{}, err
		}
		if err := st.Delete(ctx, store.SitePageKey(l, slug)); err != nil {
			return Move{}, err
		}
		if err := list.Remove(ctx, l, slug); err != nil {
			return Move{}, err
		}
	}
	// The pages still up stop naming the withdrawn ones as alternates in
	// the sitemaps.
	var up []string
	for _, l := range m.Locales {
		if !slices.Contains(gone, l) && !slices.Contains(todo, l) {
			up = append(up, l)
		}
	}
	for _, l := range up {
		e := ListEntry(m, l)
		e.Locales = up
		if err := list.Add(ctx, l, e, m.Locales); err != nil {
			return Move{}, err
		}
	}
	return mv, nil
}

// Unpublished lists the locales of slug's current release whose page is
// withdrawn: tombstone present, page absent.
func Unpublished(ctx context.Context, st *store.Store, slug string) ([]string, error) {
	var cur release.Latest
	if err := st.GetJSON(ctx, store.LatestKey(slug), &cur); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	var m release.Manifest
	if err := st.GetJSON(ctx, cur.Manifest, &m); err != nil {
		return nil, err
	}
	var out []string
	for _, l := range m.Locales {
		if _, err := st.Get(ctx, store.WithdrawnKey(slug, l)); errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if _, err := st.Get(ctx, store.SitePageKey(l, slug)); errors.Is(err, store.ErrNotFound) {
			out = append(out, l)
		} else if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MaxReason bounds the recorded reason of a rollback or unpublish.
const MaxReason = 2000
