package preview

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
)

// ErrNoLocale says the link does not cover the locale asked for.
var ErrNoLocale = fmt.Errorf("this preview link does not cover that page")

// Drafts is what a preview page reads: content-addressed objects,
// checked against their sha256.
type Drafts interface {
	GetVerified(ctx context.Context, key, sha string) ([]byte, error)
}

// Page renders the link's page in locale from the drafts it names,
// through the same renderer as a release, marked as a preview. It reads
// the source and the one locale's draft (two reads on an unauthenticated
// request, whatever the number of locales): the language switcher needs
// only the link's locale list.
func Page(ctx context.Context, st Drafts, c Claims, locale, slug string) ([]byte, error) {
	if slug != c.Slug || !slices.Contains(c.Locales, locale) {
		return nil, ErrNoLocale
	}
	var src report.Report
	if err := getJSON(ctx, st, store.SourceKey(c.Slug, c.Source), c.Source, &src); err != nil {
		return nil, err
	}
	in := release.Input{Source: src}
	if sha, ok := c.Drafts[locale]; ok && locale != src.Source {
		var t report.Translation
		if err := getJSON(ctx, st, store.DraftKey(c.Slug, c.Source, locale, sha), sha, &t); err != nil {
			return nil, err
		}
		in.Translations = append(in.Translations, t)
	}
	loc, err := in.Localized(locale)
	if err != nil {
		return nil, err
	}
	return render.Report(render.Page{Report: loc, Locale: locale, Locales: c.Locales,
		Preview: &render.Preview{Expires: c.ExpiresAt(), By: c.By}})
}

func getJSON(ctx context.Context, st Drafts, key, sha string, v any) error {
	b, err := st.GetVerified(ctx, key, sha)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("preview: %s: %w", key, err)
	}
	return nil
}
