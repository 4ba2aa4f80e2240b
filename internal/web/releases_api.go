package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/releases"
)

// releaseRoutes are the editors' routes that change what the reader site
// serves: the release list, rollback, unpublish.
func (a *API) releaseRoutes(handle func(string, http.Handler), editor func(handler) http.Handler) {
	handle("GET /api/reports/{slug}/releases", limitBody(MaxSmallBody, editor(a.releases)))
	handle("POST /api/reports/{slug}/rollback", limitBody(MaxSmallBody, editor(a.rollback)))
	handle("POST /api/reports/{slug}/unpublish", limitBody(MaxSmallBody, editor(a.unpublish)))
	handle("POST /api/reports/{slug}/previews", limitBody(MaxSmallBody, editor(a.makePreview)))
	handle("DELETE /api/reports/{slug}/previews", limitBody(MaxSmallBody, editor(a.revokePreviews)))
	handle("DELETE /api/previews/{id}", limitBody(MaxSmallBody, editor(a.revokePreview)))
}

func (a *API) makePreview(w http.ResponseWriter, r *http.Request, u auth.User) error {
	var body struct {
		Locale string `json:"locale"`
		TTL    string `json:"ttl"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		return err
	}
	ttl := 24 * time.Hour
	if body.TTL != "" {
		d, err := time.ParseDuration(body.TTL)
		if err != nil {
			return errStatus(http.StatusBadRequest, `"ttl" %q is not a duration (like "24h" or "90m")`, body.TTL)
		}
		ttl = d
	}
	link, err := a.Svc.Preview(r.Context(), r.PathValue("slug"), body.Locale, ttl, u.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, link)
	return nil
}

func (a *API) revokePreview(w http.ResponseWriter, r *http.Request, u auth.User) error {
	id := r.PathValue("id")
	if !preview.IDPattern.MatchString(id) {
		return errStatus(http.StatusBadRequest, "%q is not a preview link ID (16 hex digits)", id)
	}
	rev, err := a.Svc.RevokePreviewID(r.Context(), id, u.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rev)
	return nil
}

func (a *API) revokePreviews(w http.ResponseWriter, r *http.Request, u auth.User) error {
	rev, err := a.Svc.RevokePreviewSlug(r.Context(), r.PathValue("slug"), u.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rev)
	return nil
}

func (a *API) releases(w http.ResponseWriter, r *http.Request, u auth.User) error {
	slug := r.PathValue("slug")
	rs, moves, err := releases.List(r.Context(), a.Svc.Store, slug)
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return errStatus(http.StatusNotFound, "%s has no releases", slug)
	}
	writeJSON(w, http.StatusOK, map[string]any{"releases": rs, "history": moves, "changes": releases.Changes(r.Context(), a.Svc.Store, slug, rs)})
	return nil
}

func (a *API) rollback(w http.ResponseWriter, r *http.Request, u auth.User) error {
	var body struct {
		To     int    `json:"to"`
		Reason string `json:"reason"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		return err
	}
	if body.To < 1 || strings.TrimSpace(body.Reason) == "" {
		return errStatus(http.StatusBadRequest, `a rollback needs "to" (a version, from 1) and a "reason"`)
	}
	mv, err := a.Svc.Rollback(r.Context(), r.PathValue("slug"), body.To, u.Name, body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mv)
	return nil
}

func (a *API) unpublish(w http.ResponseWriter, r *http.Request, u auth.User) error {
	var body struct {
		Locales []string `json:"locales"`
		Reason  string   `json:"reason"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		return err
	}
	if strings.TrimSpace(body.Reason) == "" {
		return errStatus(http.StatusBadRequest, `an unpublish needs a "reason" (and "locales", or none for every locale)`)
	}
	mv, err := a.Svc.Unpublish(r.Context(), r.PathValue("slug"), body.Locales, u.Name, body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mv)
	return nil
}
