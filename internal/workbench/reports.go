package workbench

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/locales"
	"github.com/pressroom/pressroom/workflows"
)

// stages an editor can filter the list by, in workflow order.
var stages = []workflows.Stage{
	workflows.StageTranslating, workflows.StageInReview, workflows.StageAwaitingApproval, workflows.StageScheduled,
	workflows.StagePublishing, workflows.StagePublished, workflows.StageFailed, workflows.StageCancelled,
}

type reportRow struct {
	Slug, Title, Stage string
	StartedAt          time.Time
	Locales            []localeCell
}

type localeCell struct {
	Locale, Stage, Assignee string
	Progress                int // percent through the locale's stages
	Errors, Warnings        int
	DueAt                   time.Time
}

// localeProgress is how far through its stages a locale is, for the bar.
func localeProgress(ls workflows.LocaleStatus) int {
	switch ls.Stage {
	case workflows.StageDraft:
		return 5
	case workflows.StageTranslating:
		return 20
	case workflows.StageChecking:
		return 40
	case workflows.StageInReview:
		p := 50
		if ls.Segments > 0 {
			p += 40 * min(ls.Edits, ls.Segments) / ls.Segments
		}
		return p
	case workflows.StageApproved, workflows.StagePublished, workflows.StagePublishing:
		return 100
	}
	return 0
}

type reportsView struct {
	Stage  string
	Stages []stageLink
	Rows   []reportRow
}

type stageLink struct {
	Stage, Href string
	Current     bool
}

func (s *Server) reports(w http.ResponseWriter, r *http.Request, u auth.User) {
	stage := r.URL.Query().Get("stage")
	if stage != "" && !contains(stageNames(), stage) {
		stage = ""
	}
	list, err := s.Svc.Reports(r.Context(), stage)
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	v := reportsView{Stage: stage}
	v.Stages = append(v.Stages, stageLink{Href: "/workbench/reports", Current: stage == ""})
	for _, st := range stageNames() {
		v.Stages = append(v.Stages, stageLink{Stage: st, Href: "/workbench/reports?stage=" + st, Current: st == stage})
	}
	seen := map[string]bool{}
	var running []int // rows whose live status is worth a query
	for _, rep := range list {
		if seen[rep.Slug] || rep.Slug == "" {
			continue // an earlier run of a resubmitted slug
		}
		seen[rep.Slug] = true
		v.Rows = append(v.Rows, reportRow{Slug: rep.Slug, Stage: rep.Stage, StartedAt: rep.StartedAt})
		if rep.Status == "running" {
			running = append(running, len(v.Rows)-1)
		}
		if len(v.Rows) >= maxListed {
			break
		}
	}
	// A finished report's stage is its search attribute; only running ones
	// are queried, in parallel and each with a deadline, so a report whose
	// workers are gone cannot stall the page.
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, i := range running {
		wg.Add(1)
		sem <- struct{}{}
		go func(row *reportRow) {
			defer wg.Done()
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(r.Context(), rowQueryTimeout)
			defer cancel()
			st, err := s.Svc.Status(ctx, row.Slug)
			if err != nil {
				return
			}
			row.Stage = string(st.Stage)
			if in, err := s.Svc.Info(ctx, st.Source); err == nil {
				row.Title = in.Title
			}
			for _, ls := range st.Locales {
				row.Locales = append(row.Locales, localeCell{Locale: ls.Locale, Stage: string(ls.Stage), Assignee: ls.Assignee,
					Progress: localeProgress(ls), Errors: ls.Checks.Errors, Warnings: ls.Checks.Warnings, DueAt: ls.DueAt})
			}
		}(&v.Rows[i])
	}
	wg.Wait()
	s.render(w, r, &u, http.StatusOK, "reports", "WbReports", v)
}

// maxListed bounds the reports list; rowQueryTimeout bounds the status
// query of one running report.
const (
	maxListed       = 200
	rowQueryTimeout = 3 * time.Second
)

func stageNames() []string {
	var out []string
	for _, s := range stages {
		out = append(out, string(s))
	}
	return out
}

// submitView is the submit form, with what was entered when it is shown
// again with problems.
type submitView struct {
	Text, Slug, Format, Other, Remind string
	PublishAt                         string
	Targets                           map[string]bool
	RequireApproval                   bool
	Locales                           []submitLocale
	Problems                          []string
}

type submitLocale struct {
	Code, Name  string
	Translators []string
	Reviewer    string
	Deadline    string
}

// unLocales are the six UN languages, offered first; English is the
// usual source, so it is offered as a target last of them.
var unLocales = []string{"ar", "zh-Hans", "fr", "ru", "es", "en"}

func (s *Server) submitView(r *http.Request, v submitView) submitView {
	if v.Targets == nil {
		v.Targets = map[string]bool{}
	}
	if v.Format == "" {
		v.Format = "markdown"
	}
	byLocale := map[string][]string{}
	for _, u := range s.Users.List() {
		if u.Role == auth.RoleTranslator {
			for _, l := range u.Locales {
				byLocale[l] = append(byLocale[l], u.Name)
			}
		}
	}
	codes := append([]string(nil), unLocales...)
	for _, l := range strings.Split(v.Other, ",") {
		if c, err := report.CanonicalLocale(strings.TrimSpace(l)); err == nil && !contains(codes, c) {
			codes = append(codes, c)
		}
	}
	for _, c := range codes {
		v.Locales = append(v.Locales, submitLocale{Code: c, Name: locales.Autonym(c), Translators: byLocale[c],
			Reviewer: r.PostFormValue("reviewer_" + c), Deadline: r.PostFormValue("deadline_" + c)})
	}
	return v
}

func (s *Server) submitForm(w http.ResponseWriter, r *http.Request, u auth.User) {
	s.render(w, r, &u, http.StatusOK, "submit", "WbSubmit", s.submitView(r, submitView{}))
}

// submit starts a report from an upload or pasted text. A refused report
// is shown again with every problem and its line; nothing is started.
func (s *Server) submit(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, report.MaxSize+256<<10)
	if err := r.ParseMultipartForm(report.MaxSize + 256<<10); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.renderError(w, r, &u, http.StatusRequestEntityTooLarge, "WbFileTooLarge")
		return
	}
	v := submitView{Text: r.PostFormValue("text"), Slug: strings.TrimSpace(r.PostFormValue("slug")), Format: r.PostFormValue("format"),
		Other: r.PostFormValue("other"), Remind: r.PostFormValue("remind_before"), Targets: map[string]bool{},
		RequireApproval: r.PostFormValue("require_approval") != "", PublishAt: strings.TrimSpace(r.PostFormValue("publish_at"))}
	name := "report.md"
	if v.Format == "text" {
		name = "report.txt"
	}
	data := []byte(v.Text)
	if f, hdr, err := r.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, report.MaxSize+1))
		f.Close()
		if err != nil {
			s.renderError(w, r, &u, http.StatusBadRequest, "WbNoFile")
			return
		}
		if len(b) > 0 {
			data = b
			name = hdr.Filename
			if !strings.HasSuffix(name, ".md") && !strings.HasSuffix(name, ".txt") && !strings.HasSuffix(name, ".markdown") {
				name += map[bool]string{true: ".txt", false: ".md"}[v.Format == "text"]
			}
		}
	}
	req := service.SubmitRequest{Name: name, Data: data, SubmittedBy: u.Name, RequireApproval: v.RequireApproval,
		Options: report.Options{Slug: v.Slug}}
	var problems []string
	if v.PublishAt != "" {
		at, err := service.ParsePublishAt(v.PublishAt)
		if err != nil {
			problems = append(problems, "publish at: "+err.Error())
		}
		req.PublishAt = at
	}
	for _, t := range r.PostForm["target"] {
		v.Targets[t] = true
		req.Options.Targets = append(req.Options.Targets, t)
	}
	for _, t := range strings.Split(v.Other, ",") {
		if t = strings.TrimSpace(t); t != "" {
			c, err := report.CanonicalLocale(t)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			v.Targets[c] = true
			req.Options.Targets = append(req.Options.Targets, c)
		}
	}
	var before time.Duration
	if v.Remind != "" {
		h, err := strconv.ParseFloat(v.Remind, 64)
		if err != nil || h <= 0 || h > 24*365 {
			problems = append(problems, "remind before: "+v.Remind+": want a number of hours")
		}
		before = time.Duration(h * float64(time.Hour))
	}
	for _, t := range req.Options.Targets {
		if rev := r.PostFormValue("reviewer_" + t); rev != "" {
			other, ok := s.Users.Get(rev)
			if !ok || !other.CanTranslate(t) {
				problems = append(problems, "reviewer of "+t+": "+rev+" is not a translator of "+t)
				continue
			}
			req.Reviewers = append(req.Reviewers, workflows.Assignment{Locale: t, User: rev})
		}
		if dl := r.PostFormValue("deadline_" + t); dl != "" {
			h, err := strconv.ParseFloat(dl, 64)
			if err != nil || h <= 0 || h > 24*365 {
				problems = append(problems, "deadline of "+t+": "+dl+": want a number of hours")
				continue
			}
			req.Deadlines = append(req.Deadlines, workflows.LocaleDeadline{Locale: t,
				Deadline: workflows.Deadline{Within: time.Duration(h * float64(time.Hour)), RemindBefore: before}})
		}
	}
	if len(problems) == 0 {
		res, err := s.Svc.Submit(r.Context(), req)
		if err == nil {
			http.Redirect(w, r, "/workbench/reports/"+res.Slug+"?submitted=1", http.StatusSeeOther)
			return
		}
		var bad report.Errors
		var one *report.Error
		var refused *service.RefusedError
		switch {
		case errors.As(err, &bad):
			for _, e := range bad {
				problems = append(problems, e.Error())
			}
		case errors.As(err, &one):
			problems = append(problems, one.Error())
		case errors.As(err, &refused):
			problems = append(problems, refused.Reason)
		default:
			s.fail(w, r, &u, err)
			return
		}
	}
	v.Problems = problems
	s.renderWith(w, r, &u, http.StatusBadRequest, "submit", "WbSubmit", s.submitView(r, v), "", "WbSubmitRefused")
}

type reportView struct {
	Slug, Title string
	Status      workflows.ReportStatus
	Audit       []service.AuditEntry
	Locales     []localeCell
	Running     bool
	Links       []releaseLink
	Manifest    string
	// The release actions (releases.go).
	Releases    releasesView
	NoRun       bool // no workflow run is kept: only the releases are known
	CanSchedule bool
	Form        actionForm
	Zones       []string
}

type releaseLink struct {
	Locale, Page, Catalog, Markdown string
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug := r.PathValue("slug")
	if !validSlug(slug) {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return
	}
	flash := ""
	switch {
	case r.URL.Query().Get("submitted") != "":
		flash = "WbSubmitted"
	case r.URL.Query().Get("approved") != "":
		flash = "WbReportApproved"
	case r.URL.Query().Get("cancelled") != "":
		flash = "WbReportCancelled"
	}
	s.showReport(w, r, u, slug, http.StatusOK, flash, func(p *page) {
		if p.Flash == "" {
			p.Flash = actionFlash(p, r.URL.Query())
		}
	}, nil)
}

// showReport renders the report page; edit sets its flash or error, form
// is what an editor entered in a refused action.
func (s *Server) showReport(w http.ResponseWriter, r *http.Request, u auth.User, slug string, status int, flashID string, edit func(*page), form *actionForm) {
	rv := s.releasesView(r, slug)
	st, err := s.Svc.Status(r.Context(), slug)
	noRun := false
	var served release.Manifest
	if errors.Is(err, service.ErrNotFound) && rv.Served > 0 {
		// The run is gone (past the namespace's retention) and its releases
		// are not: they are shown, and can be rolled back, from the store.
		if merr := s.Store.GetJSON(r.Context(), store.ManifestKey(slug, rv.Served), &served); merr == nil {
			st, err, noRun = workflows.ReportStatus{Stage: workflows.StagePublished, SourceLocale: served.SourceLocale}, nil, true
		}
	}
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	v := reportView{Slug: slug, Status: st, CanSchedule: canSchedule(st), Zones: scheduleZones, Form: actionForm{Zone: "UTC"}, Releases: rv, NoRun: noRun}
	if form != nil {
		v.Form = *form
	} else if !st.PublishAt.IsZero() {
		v.Form.At = st.PublishAt.UTC().Format("2006-01-02T15:04") // the form starts from the time set
	}
	if noRun {
		v.Title = served.Titles[served.SourceLocale]
	} else if in, err := s.Svc.Info(r.Context(), st.Source); err == nil {
		v.Title = in.Title
	}
	for _, ls := range st.Locales {
		v.Locales = append(v.Locales, localeCell{Locale: ls.Locale, Stage: string(ls.Stage), Assignee: ls.Assignee,
			Progress: localeProgress(ls), Errors: ls.Checks.Errors, Warnings: ls.Checks.Warnings, DueAt: ls.DueAt})
	}
	switch st.Stage {
	case workflows.StagePublished, workflows.StageFailed, workflows.StageCancelled:
	default:
		v.Running = true
	}
	if st.Release != nil {
		n := st.Release.Version
		v.Manifest = "/workbench/reports/" + slug + "/objects/" + store.ManifestKey(slug, n)
		locs := []string{st.SourceLocale}
		for _, ls := range st.Locales {
			locs = append(locs, ls.Locale)
		}
		for _, l := range locs {
			v.Links = append(v.Links, releaseLink{Locale: l, Page: "/" + l + "/" + slug + "/",
				Catalog:  "/workbench/reports/" + slug + "/objects/" + store.ReleaseCatalogKey(slug, n, l, "toml"),
				Markdown: "/workbench/reports/" + slug + "/objects/" + store.ReleaseMarkdownKey(slug, n, l)})
		}
	}
	if audit, err := s.Svc.Audit(r.Context(), slug); err == nil {
		v.Audit = audit
	}
	p := s.newPage(r, &u, "WbReportTitle", v)
	if flashID != "" {
		p.Flash = p.T(flashID)
	}
	if edit != nil {
		edit(&p)
	}
	s.write(w, status, "report", p)
}

func (s *Server) approveReport(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug := r.PathValue("slug")
	if !validSlug(slug) {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return
	}
	if _, err := s.Svc.Approve(r.Context(), slug, u.Name); err != nil {
		s.fail(w, r, &u, err)
		return
	}
	http.Redirect(w, r, "/workbench/reports/"+slug+"?approved=1", http.StatusSeeOther)
}

func (s *Server) cancelReport(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug := r.PathValue("slug")
	if !validSlug(slug) {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return
	}
	if err := s.Svc.Cancel(r.Context(), slug); err != nil {
		s.fail(w, r, &u, err)
		return
	}
	http.Redirect(w, r, "/workbench/reports/"+slug+"?cancelled=1", http.StatusSeeOther)
}

// object serves a release object of the report (manifest, catalogs,
// Markdown) to editors: only keys under the report's own releases.
func (s *Server) object(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, key := r.PathValue("slug"), r.PathValue("key")
	if !validSlug(slug) || !strings.HasPrefix(key, "releases/"+slug+"/v") || strings.Contains(key, "..") {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return
	}
	body, meta, err := s.Store.GetWithMeta(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return
	}
	if err != nil {
		s.fail(w, r, &u, err)
		return
	}
	ct := meta.ContentType
	if strings.HasPrefix(ct, "text/html") || ct == "" {
		ct = "text/plain; charset=utf-8" // shown, never run, on the workbench's origin
	}
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(body)
}
