package workbench

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/xliff"
	"github.com/pressroom/pressroom/workflows"
)

// taskRow is one line of "My tasks".
type taskRow struct {
	Slug, Locale, Title, Assignee string
	Pool                          bool
	Round, Segments, Edited       int
	Errors, Warnings              int
	DueAt                         time.Time
	Escalated                     bool
	Comment                       string
}

func (s *Server) tasks(w http.ResponseWriter, r *http.Request, u auth.User) {
	list, err := s.listTasks(r, u)
	if errors.Is(err, errBadTaskPage) || errors.Is(err, service.ErrBadPageToken) {
		// A page link from before the list changed (or not ours): start
		// again from the first page.
		http.Redirect(w, r, "/workbench/tasks", http.StatusSeeOther)
		return
	} else if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	flash := ""
	switch r.URL.Query().Get("done") {
	case "approved":
		flash = "WbTaskApproved"
	case "rejected":
		flash = "WbTaskRejected"
	}
	s.renderWith(w, r, &u, http.StatusOK, "tasks", "WbMyTasks", list, flash, "")
}

// taskFor checks the caller may work on a task (editors may look).
func (s *Server) taskFor(w http.ResponseWriter, r *http.Request, u auth.User, editorsToo bool) (string, string, workflows.LocaleStatus, bool) {
	slug := r.PathValue("slug")
	locale, err := report.CanonicalLocale(r.PathValue("locale"))
	if err != nil || !validSlug(slug) {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return "", "", workflows.LocaleStatus{}, false
	}
	ls, err := s.Svc.LocaleStatus(r.Context(), slug, locale)
	if err != nil {
		s.fail(w, r, &u, err)
		return "", "", ls, false
	}
	if !(editorsToo && u.IsEditor()) && !service.MayWork(u, locale, ls.Assignee) {
		s.renderError(w, r, &u, http.StatusForbidden, "WbNotYourTask")
		return "", "", ls, false
	}
	return slug, locale, ls, true
}

func validSlug(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// segmentView is one row of the task editor.
type segmentView struct {
	service.TaskSegment
	Level      int
	Chips      []string
	Errors     int
	Warnings   int
	Human      bool
	Machine    bool
	Memory     bool
	Page       int // for links to it
	Conflict   *conflictView
	Suggestion []suggestionView
}

type suggestionView struct {
	report.Suggestion
	N    int
	Diff []diffPart
}

type conflictView struct {
	Mine, Theirs, By, Draft string
}

type taskView struct {
	Slug, Locale, SourceLocale, Title string
	Status                            workflows.LocaleStatus
	Segments                          []segmentView
	Total, Reviewed, Errors, Warnings int
	Filter                            string
	Filters                           []filterLink
	Page, Pages, Shown                int
	PrevHref, NextHref                string
	Failing                           []segmentView // shown when an approve is refused
	CanWork                           bool
	Editor                            bool
}

type filterLink struct {
	Key, Label, Href string
	Count            int
	Current          bool
}

// filters are the editor's views of a task, in order.
var filters = []struct{ key, label string }{
	{"all", "WbFilterAll"}, {"errors", "WbFilterErrors"}, {"warnings", "WbFilterWarnings"},
	{"mt", "WbFilterMachine"}, {"tm", "WbFilterMemory"}, {"edited", "WbFilterEdited"},
	{"review", "WbFilterToReview"}, // a revision's new and changed segments; offered only then
}

func (v segmentView) matches(filter string) bool {
	switch filter {
	case "errors":
		return v.Errors > 0
	case "warnings":
		return v.Warnings > 0
	case "mt":
		return v.Machine
	case "tm":
		return v.Memory || len(v.Suggestions) > 0
	case "edited":
		return v.Human
	case "review":
		return v.ApprovedIn == 0
	}
	return true
}

// pageSize is how many segments the editor shows at once: a browser
// builds a text box in a few milliseconds, so a 1,000-segment report on
// one page would take seconds to open. Filters and progress count every
// segment; pages are plain links, so they work without the script.
const pageSize = 100

func (v *taskView) paginate(page string) {
	v.Shown = len(v.Segments)
	v.Pages = max(1, (len(v.Segments)+pageSize-1)/pageSize)
	n, err := strconv.Atoi(page)
	if err != nil || n < 1 {
		n = 1
	}
	v.Page = min(n, v.Pages)
	start := (v.Page - 1) * pageSize
	v.Segments = v.Segments[start:min(start+pageSize, len(v.Segments))]
	link := func(p int) string {
		return fmt.Sprintf("/workbench/tasks/%s/%s?filter=%s&page=%d", v.Slug, v.Locale, v.Filter, p)
	}
	if v.Page > 1 {
		v.PrevHref = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextHref = link(v.Page + 1)
	}
}

// loadTask builds the editor's view of a task.
func (s *Server) loadTask(r *http.Request, u auth.User, slug, locale string) (taskView, error) {
	d, err := s.Svc.TaskDetail(r.Context(), slug, locale)
	if err != nil {
		return taskView{}, err
	}
	v := taskView{Slug: slug, Locale: locale, SourceLocale: d.SourceLocale, Status: d.Status,
		CanWork: service.MayWork(u, locale, d.Status.Assignee), Editor: u.IsEditor()}
	levels := map[string]int{}
	format := report.FormatMarkdown
	if d.Status.Source.Key != "" {
		if src, err := s.Svc.Source(r.Context(), d.Status.Source); err == nil {
			format = src.Format
			for _, seg := range src.Segments {
				levels[seg.ID] = seg.Level
			}
		}
	}
	v.Filter = r.FormValue("filter")
	revision := d.Status.CarriedFrom > 0
	if v.Filter == "" && revision {
		v.Filter = "review" // a revision opens on what it asks to review
	}
	counts := map[string]int{}
	for _, seg := range d.Segments {
		sv := segmentView{TaskSegment: seg, Level: levels[seg.ID], Chips: mt.ProtectedSpans(seg.Source, format)}
		if seg.Kind == report.KindTitle {
			v.Title = seg.Source
		}
		sv.Errors, sv.Warnings = qa.Summarize(seg.Findings)
		sv.Human = strings.HasPrefix(seg.Provenance, "human:")
		sv.Machine = strings.HasPrefix(seg.Provenance, "mt:")
		sv.Memory = strings.HasPrefix(seg.Provenance, "tm-")
		for i, sg := range seg.Suggestions {
			sv.Suggestion = append(sv.Suggestion, suggestionView{Suggestion: sg, N: i + 1, Diff: wordDiff(sg.Source, seg.Source)})
		}
		v.Total++
		if sv.Human || seg.ApprovedIn > 0 { // a carried segment keeps its approval
			v.Reviewed++
		}
		v.Errors += sv.Errors
		v.Warnings += sv.Warnings
		for _, f := range filters {
			if sv.matches(f.key) {
				counts[f.key]++
			}
		}
		if sv.Errors > 0 {
			sv.Page = len(v.Failing)/pageSize + 1 // its page under the errors filter
			v.Failing = append(v.Failing, sv)
		}
		if v.Filter == "" || sv.matches(v.Filter) {
			v.Segments = append(v.Segments, sv)
		}
	}
	if v.Filter == "" {
		v.Filter = "all"
	}
	v.paginate(r.FormValue("page"))
	for _, f := range filters {
		if f.key == "review" && !revision {
			continue
		}
		v.Filters = append(v.Filters, filterLink{Key: f.key, Label: f.label, Count: counts[f.key], Current: f.key == v.Filter,
			Href: "/workbench/tasks/" + slug + "/" + locale + "?filter=" + f.key})
	}
	return v, nil
}

func (s *Server) task(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, locale, _, ok := s.taskFor(w, r, u, true)
	if !ok {
		return
	}
	v, err := s.loadTask(r, u, slug, locale)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	v.Failing = nil
	flash := ""
	if r.URL.Query().Get("saved") != "" {
		flash = "WbSaved"
	}
	if r.URL.Query().Get("imported") != "" {
		flash = "WbImported"
	}
	s.renderWith(w, r, &u, http.StatusOK, "task", "WbTaskTitle", v, flash, "")
}

// saveSegment is the review Update's edit of one segment, based on the
// draft the translator's text was loaded from. A plain form post is
// redirected back; the script gets JSON with the segment's new findings.
func (s *Server) saveSegment(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, locale, _, ok := s.taskFor(w, r, u, false)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	text := r.PostFormValue("text")
	base := r.PostFormValue("base_draft")
	id := r.PathValue("id")
	if strings.TrimSpace(text) == "" {
		s.renderError(w, r, &u, http.StatusBadRequest, "WbEmptyText")
		return
	}
	res, err := s.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name,
		Action: workflows.ActionEdit, Edits: map[string]string{id: text}, BaseDraft: base})
	var conflict *service.ConflictError
	if errors.As(err, &conflict) {
		if wantsJSON(r) {
			writeJSON(w, http.StatusConflict, map[string]any{"conflict": true, "segment_id": conflict.SegmentID,
				"current_text": conflict.CurrentText, "changed_by": conflict.By, "current_draft": conflict.Draft.SHA256})
			return
		}
		v, lerr := s.loadTask(r, u, slug, locale)
		if lerr != nil {
			s.fail(w, r, &u, lerr)
			return
		}
		v.Failing = nil
		for i := range v.Segments {
			if v.Segments[i].ID == id {
				v.Segments[i].Conflict = &conflictView{Mine: text, Theirs: conflict.CurrentText, By: conflict.By, Draft: conflict.Draft.SHA256}
			}
		}
		s.renderWith(w, r, &u, http.StatusConflict, "task", "WbTaskTitle", v, "", "WbConflict", "By", conflict.By)
		return
	}
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	if !wantsJSON(r) {
		http.Redirect(w, r, fmt.Sprintf("/workbench/tasks/%s/%s?filter=%s&page=%s&saved=%s#seg-%s", slug, locale,
			url.QueryEscape(r.PostFormValue("filter")), url.QueryEscape(r.PostFormValue("page")), url.QueryEscape(id), id), http.StatusSeeOther)
		return
	}
	t := newTr(uiLocale(r))
	out := map[string]any{"draft": res.Draft.SHA256, "errors": res.Checks.Errors, "warnings": res.Checks.Warnings,
		"errors_text": t.N("WbErrorCount", res.Checks.Errors), "warnings_text": t.N("WbWarningCount", res.Checks.Warnings)}
	if d, err := s.Svc.TaskDetail(r.Context(), slug, locale); err == nil {
		for _, seg := range d.Segments {
			if seg.ID == id {
				out["findings"] = seg.Findings
				out["provenance"] = seg.Provenance
				out["text"] = seg.Target
			}
		}
	}
	if out["findings"] == nil {
		out["findings"] = []qa.Finding{}
	}
	writeJSON(w, http.StatusOK, out)
}

// approveTask approves the draft the translator saw. While errors remain
// it is refused here, with the failing segments listed and linked (the
// workflow's validator would refuse it too).
func (s *Server) approveTask(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, locale, _, ok := s.taskFor(w, r, u, false)
	if !ok {
		return
	}
	v, err := s.loadTask(r, u, slug, locale)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	if len(v.Failing) > 0 {
		s.render(w, r, &u, http.StatusConflict, "task", "WbTaskTitle", v) // the failing segments are listed
		return
	}
	base := r.PostFormValue("base_draft")
	_, err = s.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name, Action: workflows.ActionApprove, BaseDraft: base})
	var conflict *service.ConflictError
	if errors.As(err, &conflict) {
		v.Failing = nil
		s.renderWith(w, r, &u, http.StatusConflict, "task", "WbTaskTitle", v, "", "WbDraftChanged", "By", conflict.By)
		return
	}
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	http.Redirect(w, r, "/workbench/tasks?done=approved", http.StatusSeeOther)
}

func (s *Server) rejectTask(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, locale, _, ok := s.taskFor(w, r, u, false)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	if comment == "" {
		s.renderError(w, r, &u, http.StatusBadRequest, "WbRejectNeedsComment")
		return
	}
	if _, err := s.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name, Action: workflows.ActionReject, Comment: comment}); err != nil {
		s.fail(w, r, &u, err)
		return
	}
	http.Redirect(w, r, "/workbench/tasks?done=rejected", http.StatusSeeOther)
}

func (s *Server) exportXLIFF(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, locale, _, ok := s.taskFor(w, r, u, true)
	if !ok {
		return
	}
	d, err := s.Svc.TaskDetail(r.Context(), slug, locale)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	b, err := xliff.Export(service.XLIFFTask(d))
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	w.Header().Set("Content-Type", "application/xliff+xml; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s.xlf"`, slug, locale))
	w.Header().Set("ETag", `"`+d.Status.Draft.SHA256+`"`)
	_, _ = w.Write(b)
}

// maxXLIFFUpload is the largest XLIFF file the workbench takes, as the API.
const maxXLIFFUpload = 16 << 20

func (s *Server) importXLIFF(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, locale, ls, ok := s.taskFor(w, r, u, false)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxXLIFFUpload+64<<10)
	f, _, err := r.FormFile("file")
	if err != nil {
		s.renderError(w, r, &u, http.StatusBadRequest, "WbNoFile")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxXLIFFUpload+1))
	if err != nil || len(data) > maxXLIFFUpload {
		s.renderError(w, r, &u, http.StatusRequestEntityTooLarge, "WbFileTooLarge")
		return
	}
	d, err := s.Svc.TaskDetail(r.Context(), slug, locale)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	units, err := xliff.Import(slug+"."+locale+".xlf", data, service.XLIFFTask(d))
	if err != nil {
		s.renderProblem(w, r, &u, http.StatusUnprocessableEntity, "WbXLIFFRefused", err.Error())
		return
	}
	edits := service.XLIFFEdits(d, units)
	if len(edits) > 0 {
		base := r.PostFormValue("base_draft")
		if base == "" {
			base = ls.Draft.SHA256
		}
		if _, err := s.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name,
			Action: workflows.ActionEdit, Edits: edits, BaseDraft: base}); err != nil {
			s.fail(w, r, &u, err)
			return
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/workbench/tasks/%s/%s?imported=%d", slug, locale, len(edits)), http.StatusSeeOther)
}

// preview renders the page as it would be published from the current
// draft, with the same code as the real page.
func (s *Server) preview(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, locale, ls, ok := s.taskFor(w, r, u, true)
	if !ok {
		return
	}
	d, err := s.Svc.TaskDetail(r.Context(), slug, locale)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	src, err := s.Svc.Source(r.Context(), ls.Source)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	target := map[string]string{}
	for _, seg := range d.Segments {
		target[seg.ID] = seg.Target
	}
	page := src
	page.Segments = make([]report.Segment, len(src.Segments))
	for i, seg := range src.Segments {
		if t, ok := target[seg.ID]; ok && t != "" {
			seg.Text = t
		}
		page.Segments[i] = seg
	}
	html, err := render.Report(render.Page{Report: page, Locale: locale, Locales: []string{src.Source, locale}, PublishedAt: time.Now()})
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	// The page carries its own policy (hashes of its inline style and
	// script) in a meta tag; the header adds what a meta cannot.
	w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(html)
}

// fail answers a service error with the status it means.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, u *auth.User, err error) {
	var bad report.Errors
	var refused *service.RefusedError
	var conflict *service.ConflictError
	switch {
	case errors.As(err, &conflict):
		s.renderError(w, r, u, http.StatusConflict, "WbDraftChanged", "By", conflict.By)
	case errors.As(err, &refused):
		s.renderProblem(w, r, u, http.StatusConflict, "WbRefused", refused.Reason)
	case errors.As(err, &bad):
		s.renderProblem(w, r, u, http.StatusBadRequest, "WbRefused", err.Error())
	case errors.Is(err, service.ErrNotFound):
		s.renderError(w, r, u, http.StatusNotFound, "WbNotFound")
	default:
		s.Log.Error("workbench", "path", r.URL.Path, "error", err)
		s.renderError(w, r, u, http.StatusBadGateway, "WbServerError")
	}
}
