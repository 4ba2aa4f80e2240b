package sitelist

import (
	"context"
	"fmt"

	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/store"
)

// Reader is what rendering a list page needs from the store.
type Reader interface {
	GetWithETag(ctx context.Context, key string) ([]byte, string, error)
}

// Front renders locale's front page from its head: the newest reports
// and links to every archive page. A locale nothing was ever listed in
// is store.ErrNotFound.
func Front(ctx context.Context, st Reader, locale string) ([]byte, error) {
	h, err := head(ctx, st, locale)
	if err != nil {
		return nil, err
	}
	return render.IndexPaged(render.IndexPage{Locale: locale, Locales: h.Locales, Entries: indexEntries(h.Recent),
		Total: h.Total(), Pages: len(h.Sizes)})
}

// Archive renders archive page n (from 1) of locale's list. A page the
// head does not count is store.ErrNotFound.
func Archive(ctx context.Context, st Reader, locale string, n int) ([]byte, error) {
	h, err := head(ctx, st, locale)
	if err != nil {
		return nil, err
	}
	if n < 1 || n > len(h.Sizes) {
		return nil, fmt.Errorf("sitelist: %s has no archive page %d: %w", locale, n, store.ErrNotFound)
	}
	var p Page
	if _, _, err := read(ctx, st, store.SiteListPageKey(locale, n), &p); err != nil {
		return nil, err
	}
	locs := p.Locales
	if len(locs) == 0 {
		locs = h.Locales
	}
	return render.IndexPaged(render.IndexPage{Locale: locale, Locales: locs, Entries: indexEntries(p.Entries),
		Total: len(p.Entries), Number: n, HasNext: n < len(h.Sizes)})
}

func head(ctx context.Context, st Reader, locale string) (Head, error) {
	var h Head
	ok, _, err := read(ctx, st, store.SiteListKey(locale), &h)
	if err == nil && !ok {
		err = fmt.Errorf("sitelist: nothing was ever listed in %s: %w", locale, store.ErrNotFound)
	}
	return h, err
}

func indexEntries(es []Entry) []render.IndexEntry {
	out := make([]render.IndexEntry, len(es))
	for i, e := range es {
		out[i] = render.IndexEntry{Slug: e.Slug, Title: e.Title, Summary: e.Summary, Date: e.Date, PublishedAt: e.PublishedAt}
	}
	return out
}
