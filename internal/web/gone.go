package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/store"
)

// reportPath splits a cleaned site path "/<locale>/<slug>" into its parts.
func reportPath(p string) (locale, slug string, ok bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// serveGone answers 410 Gone for an unpublished page (its tombstone is
// there) and says whether it did.
func serveGone(w http.ResponseWriter, r *http.Request, st *store.Store, locale, slug string, log *slog.Logger) bool {
	if _, err := st.Get(r.Context(), store.WithdrawnKey(slug, locale)); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			logInternal(log, r, err)
		}
		return false
	}
	notice(w, r, http.StatusGone, render.GoneNotice(locale))
	return true
}

// notice answers with a small HTML page saying why there is nothing to show.
func notice(w http.ResponseWriter, r *http.Request, status int, n render.Notice) {
	body, err := render.NoticePage(n)
	if err != nil {
		http.Error(w, n.Heading+": "+n.Text, status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", render.ContentSecurityPolicy)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}
