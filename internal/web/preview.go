package web

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/store"
)

// previewPathRE is /preview/<token>/<locale>/<slug>/.
var previewPathRE = regexp.MustCompile(`^/preview/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/([A-Za-z0-9-]+)/([a-z0-9][a-z0-9-]*)/$`)

// servePreview answers a preview link: the drafts it names rendered as
// the real page, with a banner, never indexed or cached; a clear 403 for
// a link this site did not sign, 410 for an expired or revoked one.
func servePreview(w http.ResponseWriter, r *http.Request, st *store.Store, keys *preview.Keys, log *slog.Logger) {
	h := w.Header()
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the path
	if len(r.URL.Path) > preview.MaxToken+300 {
		previewRefused(w, r, preview.ErrInvalid)
		return
	}
	m := previewPathRE.FindStringSubmatch(r.URL.Path)
	if m == nil {
		previewRefused(w, r, preview.ErrInvalid)
		return
	}
	key, err := keys.Key(r.Context())
	if err != nil {
		id := logInternal(log, r, err)
		http.Error(w, "Previews cannot be shown right now. (request "+id+")", http.StatusBadGateway)
		return
	}
	c, err := preview.Verify(key, m[1], time.Now())
	if err == nil {
		err = preview.Check(r.Context(), st, c)
	}
	var body []byte
	if err == nil {
		body, err = preview.Page(r.Context(), st, c, m[2], m[3])
	}
	switch {
	case errors.Is(err, preview.ErrInvalid), errors.Is(err, preview.ErrExpired), errors.Is(err, preview.ErrRevoked), errors.Is(err, preview.ErrNoLocale):
		previewRefused(w, r, err)
		return
	case err != nil:
		id := logInternal(log, r, err)
		http.Error(w, "The preview cannot be shown right now; please try again later. (request "+id+")", http.StatusBadGateway)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", m[2])
	h.Set("Content-Security-Policy", render.ContentSecurityPolicy)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}

func previewRefused(w http.ResponseWriter, r *http.Request, err error) {
	msg := err.Error()
	n := render.Notice{Heading: "Preview link not valid", Text: strings.ToUpper(msg[:1]) + msg[1:] + ". Ask the editor who sent it for a new one."}
	status := http.StatusForbidden
	switch {
	case errors.Is(err, preview.ErrExpired):
		n.Heading, status = "Preview link expired", http.StatusGone
	case errors.Is(err, preview.ErrRevoked):
		n.Heading, status = "Preview link revoked", http.StatusGone
	case errors.Is(err, preview.ErrNoLocale):
		n.Heading, status = "Not in this preview", http.StatusNotFound
	}
	notice(w, r, status, n)
}
