package web

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"

	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

// listPathRE is a locale's front page (/fr, /fr/index.html) or one of its
// archive pages (/fr/page/2, /fr/page/2/index.html), after path.Clean.
var listPathRE = regexp.MustCompile(`^/([A-Za-z0-9-]+)(?:/page/([1-9][0-9]{0,5}))?(?:/index\.html)?$`)

// serveList answers a locale's list pages, rendered from the list objects
// the publishes keep (sitelist): one or two small reads per request, and
// a page that can never lag behind its data. It says whether the path was
// a list page.
func serveList(w http.ResponseWriter, r *http.Request, st *store.Store, p string, log *slog.Logger) bool {
	m := listPathRE.FindStringSubmatch(p)
	if m == nil {
		return false
	}
	locale := m[1]
	var body []byte
	var err error
	if m[2] == "" {
		body, err = sitelist.Front(r.Context(), st, locale)
	} else {
		n, _ := strconv.Atoi(m[2])
		body, err = sitelist.Archive(r.Context(), st, locale, n)
	}
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return true
	}
	if err != nil {
		id := logInternal(log, r, err)
		http.Error(w, "The list cannot be shown right now; please try again later. (request "+id+")", http.StatusBadGateway)
		return true
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", locale)
	h.Set("Cache-Control", "public, max-age=60, must-revalidate")
	h.Set("Content-Security-Policy", render.ContentSecurityPolicy)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
	return true
}
