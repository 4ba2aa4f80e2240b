package workbench

import (
	"net/http"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
)

// previewTTL is how long the workbench's preview links work.
const previewTTL = 24 * time.Hour

// previewReport makes a preview link to the running report's current
// drafts (every locale that has one) and opens its first page; the
// reader site's language switcher leads to the others.
func (s *Server) previewReport(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug := r.PathValue("slug")
	if !validSlug(slug) {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return
	}
	link, err := s.Svc.Preview(r.Context(), slug, "", previewTTL, u.Name)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	http.Redirect(w, r, link.Paths[link.Locales[0]], http.StatusSeeOther)
}
