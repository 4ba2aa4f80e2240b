package releases

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/preview"
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
//
// Every step is idempotent, so an unpublish stopped half-way (a crash, an
// S3 failure after the page was deleted) is finished by running it
// again: a withdrawn locale still listed, or a page still naming it as
// an alternate, is done again; only when nothing is left to do is it
// refused.
func Unpublish(ctx context.Context, st *store.Store, slug string, locales []string, by, reason string, now time.Time) (Move, error) {
	if strings.TrimSpace(by) == "" || strings.TrimSpace(reason) == "" {
		return Move{}, refusedAs(ReasonRequired, "an unpublish needs who (--as) and why (--reason)")
	}
	if len(reason) > MaxReason {
		return Move{}, refusedAs(ReasonTooLong, "the reason is %d bytes; at most %d", len(reason), MaxReason)
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
	pages, err := sitePages(ctx, st, slug, m)
	if err != nil {
		return Move{}, err
	}
	var known []string
	for _, p := range pages {
		known = append(known, p.locale)
	}
	if len(locales) == 0 {
		locales = known
	}
	for _, l := range locales {
		if !slices.Contains(known, l) {
			return Move{}, fmt.Errorf("%s has no %s page (its locales: %s): %w", slug, l, strings.Join(known, ", "), ErrNotFound)
		}
	}
	// What is left to do: a page still up, or withdrawn but still listed.
	var todo, up []string
	for _, p := range pages {
		switch {
		case slices.Contains(locales, p.locale):
			if p.page || p.listed {
				todo = append(todo, p.locale)
			}
		case p.page:
			up = append(up, p.locale)
		}
	}
	// The pages staying up must stop naming the withdrawn ones as
	// alternates (their list entries feed the sitemaps' hreflang).
	var stale []string
	for _, p := range pages {
		if !slices.Contains(up, p.locale) {
			continue
		}
		if p.listed && !slices.Equal(p.entry.Locales, up) || !p.listed && slices.Contains(m.Locales, p.locale) {
			stale = append(stale, p.locale)
		}
	}
	if len(todo) == 0 && len(stale) == 0 {
		return Move{}, refusedAs(AlreadyUnpublished, "%s is already unpublished in %s", slug, strings.Join(locales, ", "))
	}
	mv := Move{Action: "unpublish", Slug: slug, From: cur.Version, Locales: todo, By: by, At: now.UTC(), Reason: reason}
	if len(todo) == 0 {
		mv.Locales = locales // only the alternates were left to finish
	}
	rec, _ := json.Marshal(mv)
	if _, err := st.PutImmutable(ctx, historyKey(slug, mv.At, "unpublish"), rec, store.Meta{ContentType: "application/json", CacheControl: release.CacheImmutable}); err != nil {
		return Move{}, err
	}
	// Preview links made until now showed drafts of what is withdrawn.
	if _, err := preview.RevokeSlug(ctx, st, slug, by, now); err != nil {
		return Move{}, err
	}
	list := sitelist.List{Store: st}
	for _, p := range pages {
		if !slices.Contains(todo, p.locale) {
			continue
		}
		l := p.locale
		// Tombstone first, then the page goes: a reader never gets a 404
		// in between. A retry keeps the first tombstone's record.
		if p.page || !p.tomb {
			v := cur.Version
			if p.listed {
				v = p.entry.Version
			}
			b, _ := json.Marshal(Gone{Slug: slug, Locale: l, Version: v, By: by, At: mv.At, Reason: reason})
			if _, err := st.Put(ctx, store.WithdrawnKey(slug, l), b, store.Meta{ContentType: "application/json", CacheControl: "no-store"}); err != nil {
				return Move{}, err
			}
		}
		if err := st.Delete(ctx, store.SitePageKey(l, slug)); err != nil {
			return Move{}, err
		}
		if err := list.Remove(ctx, l, slug); err != nil {
			return Move{}, err
		}
	}
	for _, p := range pages {
		if !slices.Contains(up, p.locale) {
			continue
		}
		e := p.entry
		if !p.listed {
			if !slices.Contains(m.Locales, p.locale) {
				continue // not listed and nothing to list it from
			}
			e = ListEntry(m, p.locale)
		}
		e.Locales = up
		if err := list.Add(ctx, p.locale, e, known); err != nil {
			return Move{}, err
		}
	}
	return mv, nil
}

// sitePage is what the site has of slug in one locale.
type sitePage struct {
	locale string
	page   bool // site/<locale>/<slug>/index.html is there
	tomb   bool // its tombstone is there
	listed bool // the locale's list has it
	entry  sitelist.Entry
}

// MaxScannedReleases bounds how many of a report's newest releases
// sitePages reads to find the locales it may have pages in.
const MaxScannedReleases = 50

// sitePages reads the state of slug's page in every locale that has, or
// had, one (a page or a tombstone): the served release's locales, and
// those of its other recent releases, whose pages stay up when a later
// release has fewer targets or a partial release left them.
func sitePages(ctx context.Context, st *store.Store, slug string, m release.Manifest) ([]sitePage, error) {
	locales, err := releaseLocales(ctx, st, slug, m)
	if err != nil {
		return nil, err
	}
	list := sitelist.List{Store: st}
	var out []sitePage
	for _, l := range locales {
		p := sitePage{locale: l}
		var err error
		if p.page, err = exists(ctx, st, store.SitePageKey(l, slug)); err != nil {
			return nil, err
		}
		if p.tomb, err = exists(ctx, st, store.WithdrawnKey(slug, l)); err != nil {
			return nil, err
		}
		if !p.page && !p.tomb {
			continue
		}
		if p.entry, p.listed, err = list.Listed(ctx, l, slug); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// releaseLocales is the union of the locales of m (first, in its order)
// and of slug's newest MaxScannedReleases other releases.
func releaseLocales(ctx context.Context, st *store.Store, slug string, m release.Manifest) ([]string, error) {
	dirs, err := st.ListPrefixes(ctx, store.ReportReleasesPrefix(slug))
	if err != nil {
		return nil, err
	}
	var versions []int
	for _, d := range dirs {
		if v, err := strconv.Atoi(strings.TrimPrefix(d, "v")); err == nil && strings.HasPrefix(d, "v") && v != m.Version {
			versions = append(versions, v)
		}
	}
	slices.Sort(versions)
	slices.Reverse(versions)
	locales := slices.Clone(m.Locales)
	for _, v := range versions[:min(len(versions), MaxScannedReleases)] {
		var other release.Manifest
		if err := st.GetJSON(ctx, store.ManifestKey(slug, v), &other); errors.Is(err, store.ErrNotFound) {
			continue // an unfinished release wrote no site page
		} else if err != nil {
			return nil, err
		}
		for _, l := range other.Locales {
			if !slices.Contains(locales, l) {
				locales = append(locales, l)
			}
		}
	}
	return locales, nil
}

func exists(ctx context.Context, st *store.Store, key string) (bool, error) {
	_, err := st.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Unpublished lists the locales of slug whose page is withdrawn:
// tombstone present, page absent.
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
	pages, err := sitePages(ctx, st, slug, m)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range pages {
		if p.tomb && !p.page {
			out = append(out, p.locale)
		}
	}
	return out, nil
}

// MaxReason bounds the recorded reason of a rollback or unpublish.
const MaxReason = 2000

// Withdrawn says slug's page in locale is unpublished: its tombstone is
// there and its page is not. A revision carries no approved text into a
// withdrawn locale, so text taken down is reviewed again before it is
// served again.
func Withdrawn(ctx context.Context, st *store.Store, slug, locale string) (bool, error) {
	tomb, err := exists(ctx, st, store.WithdrawnKey(slug, locale))
	if err != nil || !tomb {
		return false, err
	}
	page, err := exists(ctx, st, store.SitePageKey(locale, slug))
	return !page, err
}
