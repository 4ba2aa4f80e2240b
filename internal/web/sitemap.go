package web

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

var seoPathRE = regexp.MustCompile(`^/([A-Za-z0-9-]+)/(?:(sitemap)\.xml|(feed)\.xml|sitemap/([1-9][0-9]{0,5})\.xml)$`)

// siteBase is the public base URL: the configured one (API.SiteURL,
// PRESSROOM_SITE_URL), or the scheme and host the request came to (fine
// behind a proxy that sets Host; configure it when the site is served
// under another name).
func siteBase(r *http.Request, configured string) string {
	if configured != "" {
		return strings.TrimRight(configured, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// serveSEO answers a locale's sitemap (an index of one part per archive
// page of its list), a sitemap part, or its Atom feed, rendered from the
// list objects the publishes keep: one small read per request. It says
// whether the path was one of them.
func serveSEO(w http.ResponseWriter, r *http.Request, st *store.Store, configuredBase string, log *slog.Logger) bool {
	m := seoPathRE.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return false
	}
	locale := m[1]
	var h sitelist.Head
	if err := st.GetJSON(r.Context(), store.SiteListKey(locale), &h); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			http.NotFound(w, r)
			return true
		}
		id := logInternal(log, r, err)
		http.Error(w, "The sitemap cannot be shown right now. (request "+id+")", http.StatusBadGateway)
		return true
	}
	base := siteBase(r, configuredBase)
	var body []byte
	var err error
	ctype := "application/xml; charset=utf-8"
	switch {
	case m[2] != "":
		body, err = render.SitemapIndex(base, locale, len(h.Sizes))
	case m[3] != "":
		ctype = "application/atom+xml; charset=utf-8"
		body, err = render.Feed(base, locale, siteEntries(h.Recent))
	default:
		n, _ := strconv.Atoi(m[4])
		if n > max(len(h.Sizes), 1) {
			http.NotFound(w, r)
			return true
		}
		var p sitelist.Page
		if gerr := st.GetJSON(r.Context(), store.SiteListPageKey(locale, n), &p); gerr != nil && !errors.Is(gerr, store.ErrNotFound) {
			err = gerr
			break
		}
		body, err = render.Sitemap(base, locale, n, h.Locales, siteEntries(p.Entries))
	}
	if err != nil {
		id := logInternal(log, r, err)
		http.Error(w, "The sitemap cannot be shown right now. (request "+id+")", http.StatusBadGateway)
		return true
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=300")
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
	return true
}

func siteEntries(es []sitelist.Entry) []render.SiteEntry {
	out := make([]render.SiteEntry, len(es))
	for i, e := range es {
		out[i] = render.SiteEntry{Slug: e.Slug, Title: e.Title, Summary: e.Summary, PublishedAt: e.PublishedAt, Date: e.Date, Locales: e.Locales}
	}
	return out
}
