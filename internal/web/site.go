// Package web serves Pressroom over HTTP. For now: the reader site, the
// published pages under site/ in the object store, so a newcomer can open
// them in a browser.
package web

import (
	"errors"
	"net/http"
	"path"
	"strings"

	"github.com/pressroom/pressroom/internal/store"
)

// SiteHandler serves GET /<locale>/<slug>/ and /<locale>/ from the
// site/ prefix of the bucket; "/" redirects to the default locale.
func SiteHandler(st *store.Store, defaultLocale string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
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
		key := "site" + p
		if path.Ext(p) == "" {
			key += "/index.html"
		}
		body, meta, err := st.GetWithMeta(r.Context(), key)
		if errors.Is(err, store.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, "object store unavailable: "+err.Error(), http.StatusBadGateway)
			return
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
// /workbench/, and the reader site everywhere else.
func Routes(st *store.Store, api *API, workbench ...http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api.Handler())
	for _, wb := range workbench {
		mux.Handle("/workbench/", wb)
		mux.Handle("GET /workbench", http.RedirectHandler("/workbench/", http.StatusMovedPermanently))
	}
	mux.Handle("/", SiteHandler(st, "en"))
	return mux
}
