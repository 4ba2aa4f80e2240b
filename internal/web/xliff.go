package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/xliff"
	"github.com/pressroom/pressroom/workflows"
)

// exportXLIFF answers with the task as XLIFF 2.0; its ETag is the draft,
// to send back as If-Match so a stale file cannot overwrite newer saves.
func (a *API) exportXLIFF(w http.ResponseWriter, r *http.Request, u auth.User) error {
	slug, locale, _, err := a.taskFor(r, u, true)
	if err != nil {
		return err
	}
	d, err := a.Svc.TaskDetail(r.Context(), slug, locale)
	if err != nil {
		return err
	}
	b, err := xliff.Export(service.XLIFFTask(d))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xliff+xml; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s.xlf"`, slug, locale))
	w.Header().Set("ETag", `"`+d.Status.Draft.SHA256+`"`)
	_, err = w.Write(b)
	return err
}

// importXLIFF saves the translated file's changes as one edit. A malformed
// file, a file for another task or unknown segments change nothing.
func (a *API) importXLIFF(w http.ResponseWriter, r *http.Request, u auth.User) error {
	slug, locale, ls, err := a.taskFor(r, u, false)
	if err != nil {
		return err
	}
	data, err := readBody(r, "the XLIFF file")
	if err != nil {
		return err
	}
	d, err := a.Svc.TaskDetail(r.Context(), slug, locale)
	if err != nil {
		return err
	}
	units, err := xliff.Import(slug+"."+locale+".xlf", data, service.XLIFFTask(d))
	switch {
	case errors.Is(err, xliff.ErrSourceChanged):
		return errStatus(http.StatusConflict, "%v; export the task again", err)
	case errors.Is(err, xliff.ErrWrongTask), errors.Is(err, xliff.ErrUnknownUnit), errors.Is(err, xliff.ErrPlaceholders):
		return errStatus(http.StatusUnprocessableEntity, "%v; nothing was changed", err)
	case err != nil:
		return errStatus(http.StatusBadRequest, "%v; nothing was changed", err)
	}
	edits := service.XLIFFEdits(d, units)
	if len(edits) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"changed": 0, "stage": ls.Stage, "draft": ls.Draft})
		return nil
	}
	base := strings.Trim(r.Header.Get("If-Match"), `"`)
	if base == "" {
		base = ls.Draft.SHA256
	}
	res, err := a.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name,
		Action: workflows.ActionEdit, Edits: edits, BaseDraft: base})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"changed": len(edits), "stage": res.Stage, "draft": res.Draft, "checks": res.Checks})
	return nil
}
