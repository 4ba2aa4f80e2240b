package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

// API is Pressroom's JSON HTTP API for editors, translators and CAT tools.
// Every route authenticates a bearer token and checks the caller's role;
// the reviewer of an action is always the caller, never the request body.
type API struct {
	Svc   *service.Service
	Users *auth.Users
	Log   *slog.Logger
	// SiteURL is the reader site's public base URL (config's SiteURL,
	// PRESSROOM_SITE_URL) for the sitemaps' and feeds' absolute URLs; ""
	// uses the request's host.
	SiteURL string
	// MaxUploads bounds the requests with a body (reports, edits, XLIFF)
	// handled at once; more are answered 503 at once. 0 means
	// DefaultMaxUploads.
	MaxUploads int

	routes  []string
	uploads chan struct{}
}

// Handler routes /api/... (Go's pattern-matching ServeMux).
func (a *API) Handler() http.Handler {
	mux := &routeMux{ServeMux: http.NewServeMux()}
	n := a.MaxUploads
	if n <= 0 {
		n = DefaultMaxUploads
	}
	a.uploads = make(chan struct{}, n)
	// Every route reads at most its body limit; routes that take a body
	// also hold one of the upload slots while they run.
	small := func(h http.Handler) http.Handler { return limitBody(MaxSmallBody, h) }
	editor := func(h handler) http.Handler { return a.auth(h, auth.User.IsEditor, "editors") }
	anyone := func(h handler) http.Handler { return a.auth(h, func(auth.User) bool { return true }, "") }
	mux.Handle("POST /api/reports", a.upload(report.MaxSize, editor(a.submit)))
	mux.Handle("GET /api/reports", small(editor(a.reports)))
	mux.Handle("GET /api/reports/{slug}", small(editor(a.status)))
	mux.Handle("POST /api/reports/{slug}/approve", small(editor(a.approve)))
	mux.Handle("POST /api/reports/{slug}/cancel", small(editor(a.cancel)))
	mux.Handle("POST /api/reports/{slug}/schedule", a.upload(MaxSmallBody, editor(a.schedule)))
	mux.Handle("GET /api/reports/{slug}/audit", small(editor(a.audit)))
	mux.Handle("GET /api/tasks", small(anyone(a.tasks)))
	mux.Handle("GET /api/tasks/{slug}/{locale}", small(anyone(a.task)))
	mux.Handle("PUT /api/tasks/{slug}/{locale}/segments/{id}", a.upload(MaxSegmentBody, anyone(a.saveSegment)))
	mux.Handle("POST /api/tasks/{slug}/{locale}/approve", small(anyone(a.approveTask)))
	mux.Handle("POST /api/tasks/{slug}/{locale}/reject", a.upload(MaxSmallBody, anyone(a.rejectTask)))
	mux.Handle("GET /api/tasks/{slug}/{locale}/xliff", small(anyone(a.exportXLIFF)))
	mux.Handle("PUT /api/tasks/{slug}/{locale}/xliff", a.upload(MaxXLIFFBody, anyone(a.importXLIFF)))
	a.releaseRoutes(mux.Handle, editor)
	mux.ServeMux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no route %s %s; see the README for the API", r.Method, r.URL.Path), nil)
	})
	a.routes = mux.patterns
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", APICSP)
		mux.ServeHTTP(w, r)
	})
}

// Routes lists the "METHOD /path" patterns Handler serves (docs/openapi.yaml
// is checked against it).
func (a *API) Routes() []string {
	if a.routes == nil {
		a.Handler()
	}
	return a.routes
}

// routeMux records the patterns it is given.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

// handler is a route with its authenticated caller.
type handler func(w http.ResponseWriter, r *http.Request, u auth.User) error

// auth authenticates the caller and checks the route's role. Handler
// errors become JSON errors with the status they mean.
func (a *API) auth(h handler, allowed func(auth.User) bool, who string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, cancel := context.WithTimeout(r.Context(), RequestTimeout)
		defer cancel()
		r = r.WithContext(ctx)
		u, err := auth.FromRequest(r, a.Users)
		if err != nil {
			w.Header().Set("WWW-Authenticate", auth.Challenge(err))
			writeError(w, http.StatusUnauthorized, err.Error(), nil)
			return
		}
		if !allowed(u) {
			writeError(w, http.StatusForbidden, fmt.Sprintf("%s (%s) may not do this: only %s may", u.Name, u.Role, who), nil)
			return
		}
		err = checkPathValues(r)
		if err == nil {
			err = h(w, r, u)
		}
		status := 200
		if err != nil {
			status = a.fail(w, r, err)
		}
		if a.Log != nil {
			a.Log.Info("api", "method", r.Method, "path", r.URL.Path, "user", u.Name, "status", status, "ms", time.Since(start).Milliseconds())
		}
	})
}

// httpError is an error with the status it should be answered with.
type httpError struct {
	status int
	msg    string
	extra  map[string]any
}

func (e *httpError) Error() string { return e.msg }

func errStatus(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) int {
	var he *httpError
	var bad report.Errors
	var one *report.Error
	var conflict *service.ConflictError
	var refused *service.RefusedError
	switch {
	case errors.As(err, &he):
		writeError(w, he.status, he.msg, he.extra)
		return he.status
	case errors.As(err, &bad):
		var problems []string
		for _, e := range bad {
			problems = append(problems, e.Error())
		}
		writeError(w, http.StatusBadRequest, "the report was refused; nothing was started", map[string]any{"problems": problems})
		return http.StatusBadRequest
	case errors.As(err, &one):
		writeError(w, http.StatusBadRequest, one.Error(), nil)
		return http.StatusBadRequest
	case errors.As(err, &conflict):
		writeError(w, http.StatusConflict, conflict.Reason, map[string]any{
			"segment_id": conflict.SegmentID, "changed_by": conflict.By, "current_text": conflict.CurrentText, "current_draft": conflict.Draft.SHA256,
		})
		return http.StatusConflict
	case errors.As(err, &refused):
		var extra map[string]any
		if refused.Type != "" {
			// The refusal's type (workflows.RefusalTypes) lets a client
			// act on it without reading the message.
			extra = map[string]any{"type": refused.Type}
		}
		writeError(w, http.StatusConflict, refused.Reason, extra)
		return http.StatusConflict
	case errors.Is(err, service.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error(), nil)
		return http.StatusNotFound
	case errors.Is(err, context.DeadlineExceeded):
		id := logInternal(a.Log, r, err)
		writeError(w, http.StatusGatewayTimeout, fmt.Sprintf("Pressroom got no answer within %s; the action may still complete — check the status before repeating it (a repeated action is applied once)", RequestTimeout), map[string]any{"request_id": id})
		return http.StatusGatewayTimeout
	}
	id := logInternal(a.Log, r, err)
	writeError(w, http.StatusBadGateway, "Pressroom could not complete the request: a service it depends on failed; the server log has the details under this request ID", map[string]any{"request_id": id})
	return http.StatusBadGateway
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string, extra map[string]any) {
	body := map[string]any{"error": msg, "status": status}
	for k, v := range extra {
		body[k] = v
	}
	writeJSON(w, status, body)
}

// --- reports (editors) ---

func (a *API) submit(w http.ResponseWriter, r *http.Request, u auth.User) error {
	q := r.URL.Query()
	data, err := readBody(r, "the report")
	if err != nil {
		return err
	}
	name := "report.txt"
	ct := r.Header.Get("Content-Type")
	if strings.Contains(ct, "markdown") || q.Get("format") == "markdown" {
		name = "report.md"
	}
	req := service.SubmitRequest{Name: name, Data: data, SubmittedBy: u.Name,
		Options: report.Options{Slug: q.Get("slug"), Source: q.Get("source"), Date: q.Get("date")}}
	if to := q.Get("to"); to != "" {
		if n := strings.Count(to, ",") + 1; n > report.MaxTargets {
			return errStatus(http.StatusBadRequest, "to= names %d locales; the limit is %d per report", n, report.MaxTargets)
		}
		for _, t := range strings.Split(to, ",") {
			if t = strings.TrimSpace(t); t != "" {
				req.Options.Targets = append(req.Options.Targets, t)
			}
		}
	}
	if len(q["reviewer"]) > report.MaxTargets || len(q["deadline"]) > report.MaxTargets {
		return errStatus(http.StatusBadRequest, "at most %d reviewer= and %d deadline= parameters (one per target)", report.MaxTargets, report.MaxTargets)
	}
	for _, spec := range q["reviewer"] {
		locale, user, ok := strings.Cut(spec, ":")
		if !ok || locale == "" || user == "" {
			return errStatus(http.StatusBadRequest, "reviewer=%q: want LOCALE:USER, e.g. fr:claire", spec)
		}
		canon, err := report.CanonicalLocale(locale)
		if err != nil {
			return errStatus(http.StatusBadRequest, "reviewer=%q: %v", spec, err)
		}
		if other, ok := a.Users.Get(user); !ok || !other.CanTranslate(canon) {
			return errStatus(http.StatusBadRequest, "reviewer=%q: %s is not a translator of %s", spec, user, canon)
		}
		req.Reviewers = append(req.Reviewers, workflows.Assignment{Locale: canon, User: user})
	}
	if v := q.Get("require_approval"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errStatus(http.StatusBadRequest, "require_approval=%q: want true or false", v)
		}
		req.RequireApproval = b
	}
	deadlines, err := parseDeadlines(q["deadline"], q.Get("remind_before"))
	if err != nil {
		return err
	}
	req.Deadlines = deadlines
	if v := q.Get("publish_at"); v != "" {
		if req.PublishAt, err = service.ParsePublishAt(v); err != nil {
			return errStatus(http.StatusBadRequest, "publish_at: %v", err)
		}
	}
	req.Policy = q.Get("policy")
	res, err := a.Svc.Submit(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/reports/"+res.Slug)
	writeJSON(w, http.StatusCreated, res)
	return nil
}

// parseDeadlines reads deadline=48h (all locales) or deadline=fr:24h.
func parseDeadlines(specs []string, remind string) ([]workflows.LocaleDeadline, error) {
	var before time.Duration
	if remind != "" {
		d, err := time.ParseDuration(remind)
		if err != nil || d <= 0 {
			return nil, errStatus(http.StatusBadRequest, "remind_before=%q: want a duration such as 24h", remind)
		}
		before = d
	}
	var out []workflows.LocaleDeadline
	for _, spec := range specs {
		locale, dur, ok := strings.Cut(spec, ":")
		if !ok {
			locale, dur = "", spec
		}
		d, err := time.ParseDuration(dur)
		if err != nil || d <= 0 {
			return nil, errStatus(http.StatusBadRequest, "deadline=%q: want a duration such as 48h, or LOCALE:48h", spec)
		}
		if locale != "" {
			if locale, err = report.CanonicalLocale(locale); err != nil {
				return nil, errStatus(http.StatusBadRequest, "deadline=%q: %v", spec, err)
			}
		}
		out = append(out, workflows.LocaleDeadline{Locale: locale, Deadline: workflows.Deadline{Within: d, RemindBefore: before}})
	}
	return out, nil
}

func (a *API) reports(w http.ResponseWriter, r *http.Request, u auth.User) error {
	list, err := a.Svc.Reports(r.Context(), r.URL.Query().Get("stage"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []service.ReportSummary{}
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (a *API) status(w http.ResponseWriter, r *http.Request, u auth.User) error {
	st, err := a.Svc.Status(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) approve(w http.ResponseWriter, r *http.Request, u auth.User) error {
	stage, err := a.Svc.Approve(r.Context(), r.PathValue("slug"), u.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"slug": r.PathValue("slug"), "stage": stage, "approved_by": u.Name})
	return nil
}

// schedule moves ({"at": RFC 3339}) or clears ({"clear": true}) the
// publish time of a report that has not started publishing.
func (a *API) schedule(w http.ResponseWriter, r *http.Request, u auth.User) error {
	var body struct {
		At    string `json:"at"`
		Clear bool   `json:"clear"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		return err
	}
	if (body.At == "") != body.Clear {
		return errStatus(http.StatusBadRequest, `give "at" (RFC 3339) or "clear": true, one of them`)
	}
	if body.At != "" {
		if _, err := service.ParsePublishAt(body.At); err != nil {
			return errStatus(http.StatusBadRequest, "at: %v", err)
		}
	}
	res, err := a.Svc.Schedule(r.Context(), r.PathValue("slug"), u.Name, body.At)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"slug": r.PathValue("slug"), "stage": res.Stage, "publish_at": res.PublishAt, "scheduled_by": u.Name})
	return nil
}

func (a *API) cancel(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := a.Svc.Cancel(r.Context(), r.PathValue("slug")); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"slug": r.PathValue("slug"), "cancel_requested_by": u.Name})
	return nil
}

func (a *API) audit(w http.ResponseWriter, r *http.Request, u auth.User) error {
	entries, err := a.Svc.Audit(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []service.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, entries)
	return nil
}

// --- tasks (translators) ---

// tasks lists the caller's tasks: a translator's own and the pools of
// their locales; editors and admins see every task.
func (a *API) tasks(w http.ResponseWriter, r *http.Request, u auth.User) error {
	q := r.URL.Query()
	f := service.TaskFilter{Locale: q.Get("locale"), Slug: q.Get("slug"), Assignee: q.Get("assignee")}
	if u.Role == auth.RoleTranslator {
		// Filtered in the visibility query: own tasks and the locales' pools.
		f.Worker, f.WorkerLocales = u.Name, u.Locales
	}
	// Always one page: no request lists unboundedly many workflows (the
	// visibility store costs about 1 ms per listed workflow). The next
	// page's token comes back in Next-Page-Token.
	size, err := service.ParseTaskPageSize("page_size", q.Get("page_size"))
	if err != nil {
		return errStatus(http.StatusBadRequest, "query parameter %v", err)
	}
	token, err := base64.RawURLEncoding.DecodeString(q.Get("page_token"))
	if err != nil {
		return errStatus(http.StatusBadRequest, "query parameter page_token: not a token this API gave out (the Next-Page-Token header of the previous page)")
	}
	all, next, err := a.Svc.TasksPage(r.Context(), f, size, token)
	if errors.Is(err, service.ErrBadPageToken) {
		return errStatus(http.StatusBadRequest, "query parameter page_token: %v", err)
	} else if err != nil {
		return err
	}
	if len(next) > 0 {
		w.Header().Set("Next-Page-Token", base64.RawURLEncoding.EncodeToString(next))
	}
	out := []service.Task{}
	for _, t := range all {
		if u.IsEditor() || mayWork(u, t.Locale, t.Assignee) {
			out = append(out, t)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// mayWork says whether a user may see and complete a locale's task (the
// rule the workbench applies too).
func mayWork(u auth.User, locale, assignee string) bool { return service.MayWork(u, locale, assignee) }

// taskFor checks the caller may work on a task and returns its status.
func (a *API) taskFor(r *http.Request, u auth.User, allowEditors bool) (string, string, workflows.LocaleStatus, error) {
	slug := r.PathValue("slug")
	locale, err := report.CanonicalLocale(r.PathValue("locale"))
	if err != nil {
		return "", "", workflows.LocaleStatus{}, errStatus(http.StatusBadRequest, "locale %q: %v", r.PathValue("locale"), err)
	}
	ls, err := a.Svc.LocaleStatus(r.Context(), slug, locale)
	if err != nil {
		return "", "", ls, err
	}
	if !(allowEditors && u.IsEditor()) && !mayWork(u, locale, ls.Assignee) {
		// Who else holds the task is not the caller's business.
		why := "it is assigned to another translator"
		if !u.CanTranslate(locale) {
			why = "you are not a translator of " + locale
		}
		return "", "", ls, errStatus(http.StatusForbidden, "%s may not work on %s/%s: %s", u.Name, slug, locale, why)
	}
	return slug, locale, ls, nil
}

func (a *API) task(w http.ResponseWriter, r *http.Request, u auth.User) error {
	slug, locale, _, err := a.taskFor(r, u, true)
	if err != nil {
		return err
	}
	d, err := a.Svc.TaskDetail(r.Context(), slug, locale)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (a *API) saveSegment(w http.ResponseWriter, r *http.Request, u auth.User) error {
	slug, locale, ls, err := a.taskFor(r, u, false)
	if err != nil {
		return err
	}
	var body struct {
		Text      string `json:"text"`
		BaseDraft string `json:"base_draft"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		return err
	}
	if strings.TrimSpace(body.Text) == "" {
		return errStatus(http.StatusBadRequest, `body field "text" is empty`)
	}
	id := r.PathValue("id")
	if body.BaseDraft == "" {
		body.BaseDraft = ls.Draft.SHA256
	}
	res, err := a.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name,
		Action: workflows.ActionEdit, Edits: map[string]string{id: body.Text}, BaseDraft: body.BaseDraft})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (a *API) approveTask(w http.ResponseWriter, r *http.Request, u auth.User) error {
	slug, locale, ls, err := a.taskFor(r, u, false)
	if err != nil {
		return err
	}
	// Optional {"base_draft": "<sha256>"}: the draft the approver saw; a
	// different current draft is a 409 conflict.
	var body struct {
		BaseDraft string `json:"base_draft"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil && !errors.Is(err, io.EOF) {
		return errStatus(http.StatusBadRequest, "request body: %v", err)
	}
	res, err := a.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name, Action: workflows.ActionApprove, BaseDraft: body.BaseDraft, Current: &ls})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (a *API) rejectTask(w http.ResponseWriter, r *http.Request, u auth.User) error {
	slug, locale, _, err := a.taskFor(r, u, false)
	if err != nil {
		return err
	}
	var body struct {
		Comment string `json:"comment"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		return err
	}
	if strings.TrimSpace(body.Comment) == "" {
		return errStatus(http.StatusBadRequest, `a reject needs a "comment" saying what to fix`)
	}
	res, err := a.Svc.Review(r.Context(), service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: u.Name, Action: workflows.ActionReject, Comment: body.Comment})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// decodeBody reads a JSON body; the route's limitBody bounds its size.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if tooLarge := bodyTooLarge(err, "the request body"); tooLarge != nil {
			return tooLarge
		}
		return errStatus(http.StatusBadRequest, "request body: %v", err)
	}
	return nil
}
