// Package web serves Pressroom over HTTP. For now: the reader site, the
// published pages under site/ in the object store, so a newcomer can open
// them in a browser.
package web

import (
	"errors"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/store"
)

// SiteHandler serves GET /<locale>/<slug>/ from the site/ prefix of the
// bucket and /<locale>/ (with its archive pages) from the locale's list;
// "/" redirects to the default locale.
func SiteHandler(st *store.Store, defaultLocale string) http.Handler {
	return siteHandler(st, defaultLocale, &API{})
}

// sitePathRE is every path the site can serve: path segments of letters,
// digits, '.', '_' and '-' (locales, slugs, index.html). Anything else —
// a backslash, which browsers read as "/" in "/\evil.example", an
// encoded byte — is not found, and is never echoed into a redirect.
var sitePathRE = regexp.MustCompile(`^(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*/?$`)

// siteHandler takes the site's public URL, the preview signing keys and
// the logger from api (the same process serves both).
func siteHandler(st *store.Store, defaultLocale string, api *API) http.Handler {
	log, base := api.Log, api.SiteURL
	keys := &preview.Keys{Store: st}
	if api.Svc != nil && api.Svc.Previews != nil {
		keys = api.Svc.Previews
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/preview/") {
			servePreview(w, r, st, keys, log)
			return
		}
		if !sitePathRE.MatchString(r.URL.Path) || len(r.URL.Path) > 512 {
			http.NotFound(w, r)
			return
		}
		if serveSEO(w, r, st, base, log) {
			return
		}
		p := path.Clean("/" + r.URL.Path)
		if p == "/" {
			http.Redirect(w, r, "/"+defaultLocale+"/", http.StatusFound)
			return
		}
		if !strings.HasSuffix(r.URL.Path, "/") && path.Ext(p) == "" {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		if serveList(w, r, st, p, log) {
			return
		}
		// Only pages are the readers': site/ also holds the list's data
		// (JSON bookkeeping of every publish and unpublish, whose slots
		// keep naming withdrawn reports), never served. The list pages,
		// the sitemaps and the feed were answered above from that data.
		key := "site" + p
		switch {
		case path.Ext(p) == "":
			key += "/index.html"
		case path.Base(p) != "index.html":
			http.NotFound(w, r)
			return
		}
		body, meta, err := st.GetWithMeta(r.Context(), key)
		if errors.Is(err, store.ErrNotFound) {
			// Only a missing page pays for the tombstone lookup.
			if locale, slug, ok := reportPath(p); ok && serveGone(w, r, st, locale, slug, log) {
				return
			}
			http.NotFound(w, r)
			return
		}
		if err != nil {
			id := logInternal(log, r, err)
			http.Error(w, "The page cannot be shown right now; please try again later. (request "+id+")", http.StatusBadGateway)
			return
		}
		if strings.HasPrefix(meta.ContentType, "text/html") {
			w.Header().Set("Content-Security-Policy", render.ContentSecurityPolicy)
		}
		for h, v := range map[string]string{"Content-Type": meta.ContentType, "Content-Language": meta.ContentLanguage, "Cache-Control": meta.CacheControl} {
			if v != "" {
				w.Header().Set(h, v)
			}
		}
		if r.Method == http.MethodGet {
			_, _ = w.Write(body)
		}
	})
}

// Routes serves the API under /api/, the workbench (when given) under
// /workbench/, and the reader site everywhere else, behind the security
// headers.
func Routes(st *store.Store, api *API, workbench ...http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api.Handler())
	for _, wb := range workbench {
		mux.Handle("/workbench/", wb)
		mux.Handle("GET /workbench", http.RedirectHandler("/workbench/", http.StatusMovedPermanently))
	}
	mux.Handle("/", siteHandler(st, "en", api))
	return Secure(mux)
}
