// Package service is what editors and translators do with Pressroom —
// submit, follow, review, approve — as calls on Temporal and the object
// store. The CLI, the demo and (later) the HTTP API are thin layers over it.
package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// Service performs Pressroom's operations.
type Service struct {
	Temporal  client.Client
	Store     *store.Store
	TaskQueue string
	// Events says a webhook is configured: reports submitted through this
	// service deliver their events (the workflow learns it from its input).
	Events bool
	// Previews signs and checks preview links; nil uses the bucket's key.
	Previews *preview.Keys
}

// ErrNotFound says there is no such report or task.
var ErrNotFound = errors.New("not found")

// RefusedError says Pressroom understood the request and refused it: a
// validator said no, or the report is already in progress. Type is the
// workflow's error type (workflows.ErrNotAssignee …) when a workflow
// refused, "" otherwise.
type RefusedError struct {
	Reason string
	Type   string
}

func (e *RefusedError) Error() string { return "refused: " + e.Reason }

// SubmitRequest is a report file and how to run it.
type SubmitRequest struct {
	Name            string // file name, for messages and format detection
	Data            []byte
	Options         report.Options
	Reviewers       []workflows.Assignment
	RequireApproval bool
	SubmittedBy     string
	Deadlines       []workflows.LocaleDeadline
	PublishAt       time.Time // zero: publish when approved
	Policy          string    // workflows.PolicyAllAtOnce ("") or PolicyPerLocale
}

// SubmitResult says what was started.
type SubmitResult struct {
	Slug       string        `json:"slug"`
	WorkflowID string        `json:"workflow_id"`
	RunID      string        `json:"run_id"`
	Source     workflows.Ref `json:"source"`
	Segments   int           `json:"segments"`
	Targets    []string      `json:"targets"`
	PublishAt  time.Time     `json:"publish_at,omitzero"`
	Policy     string        `json:"policy,omitempty"`
	// Revises is the live release this submit revises (0: a first
	// version); it stays served until the revision publishes.
	Revises int `json:"revises,omitempty"`
}

// Submit validates a report, stores its source and starts its workflow.
// Bad input is refused before anything is written or started.
func (s *Service) Submit(ctx context.Context, req SubmitRequest) (SubmitResult, error) {
	r, err := report.Parse(req.Name, req.Data, req.Options)
	if err != nil {
		return SubmitResult{}, err
	}
	if len(r.Targets) == 0 {
		return SubmitResult{}, report.Errors{{File: req.Name, Field: "targets", Msg: "no target locales: give --to or a `targets` list in the front matter"}}
	}
	for _, a := range req.Reviewers {
		if !slices.Contains(r.Targets, a.Locale) {
			return SubmitResult{}, report.Errors{{File: req.Name, Field: "reviewer", Locale: a.Locale,
				Msg: fmt.Sprintf("reviewer %s is assigned to %s, which is not a target (targets: %s)", a.User, a.Locale, strings.Join(r.Targets, ", "))}}
		}
	}
	if err := checkPublishing(req, time.Now()); err != nil {
		return SubmitResult{}, err
	}
	src, err := json.Marshal(r)
	if err != nil {
		return SubmitResult{}, err
	}
	sha := store.SHA256(src)
	key := store.SourceKey(r.Slug, sha)

	// Refuse early, before writing, if this slug is already in flight.
	if desc, err := s.Temporal.DescribeWorkflow(ctx, workflows.ReportID(r.Slug), ""); err == nil &&
		desc.Status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return SubmitResult{}, &RefusedError{Reason: fmt.Sprintf("report %q is already in progress; wait for it to publish or cancel it first", r.Slug)}
	}
	revises, err := s.liveVersion(ctx, r.Slug)
	if err != nil {
		return SubmitResult{}, err
	}
	if _, err := s.Store.PutImmutable(ctx, key, src, store.Meta{ContentType: "application/json"}); err != nil {
		return SubmitResult{}, err
	}
	in := workflows.ReportInput{
		Slug: r.Slug, Source: workflows.Ref{Key: key, SHA256: sha, Size: int64(len(src))},
		SourceLocale: r.Source, Targets: r.Targets, Reviewers: req.Reviewers,
		RequireApproval: req.RequireApproval, SubmittedBy: req.SubmittedBy, Deadlines: req.Deadlines,
		Events: s.Events, PublishAt: req.PublishAt, Policy: req.Policy,
	}
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.ReportID(r.Slug),
		TaskQueue:                s.TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			temporal.NewSearchAttributeKeyKeyword(workflows.SearchStage).ValueSet(string(workflows.StageTranslating)),
			temporal.NewSearchAttributeKeyKeyword(workflows.SearchSlug).ValueSet(r.Slug)),
	}, workflows.ReportWorkflowName, in)
	if err != nil {
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if errors.As(err, &started) {
			return SubmitResult{}, &RefusedError{Reason: fmt.Sprintf("report %q is already in progress", r.Slug)}
		}
		return SubmitResult{}, fmt.Errorf("start workflow: %w", err)
	}
	return SubmitResult{Slug: r.Slug, WorkflowID: run.GetID(), RunID: run.GetRunID(), Source: in.Source, Segments: len(r.Segments), Targets: r.Targets,
		PublishAt: in.PublishAt, Policy: in.Policy, Revises: revises}, nil
}

// Status queries a report's workflow (running or finished). Locales in
// review send their parent no progress, so their live status (edits,
// checks, escalation) is read from each locale's own query.
func (s *Service) Status(ctx context.Context, slug string) (workflows.ReportStatus, error) {
	var st workflows.ReportStatus
	if err := s.query(ctx, workflows.ReportID(slug), &st); err != nil {
		return st, err
	}
	var wg sync.WaitGroup
	for i := range st.Locales {
		if st.Locales[i].Stage != workflows.StageInReview {
			continue
		}
		wg.Add(1)
		go func(ls *workflows.LocaleStatus) {
			defer wg.Done()
			var live workflows.LocaleStatus
			// A locale that just finished is in the parent's next answer.
			if s.query(ctx, workflows.LocaleID(slug, ls.Locale), &live) == nil && live.Locale == ls.Locale {
				*ls = live
			}
		}(&st.Locales[i])
	}
	wg.Wait()
	return st, nil
}

// LocaleStatus queries one locale's task. A locale still being drafted
// has no workflow of its own yet: its report answers for it.
func (s *Service) LocaleStatus(ctx context.Context, slug, locale string) (workflows.LocaleStatus, error) {
	var st workflows.LocaleStatus
	err := s.query(ctx, workflows.LocaleID(slug, locale), &st)
	if err == nil && st.Stage == workflows.StageApproved {
		return s.carriedOver(ctx, slug, st), nil
	}
	if !errors.Is(err, ErrNotFound) {
		return st, err
	}
	var rs workflows.ReportStatus
	if s.query(ctx, workflows.ReportID(slug), &rs) == nil {
		for _, ls := range rs.Locales {
			if ls.Locale == locale {
				return ls, nil
			}
		}
	}
	return st, err
}

func (s *Service) query(ctx context.Context, id string, v any) error {
	val, err := s.Temporal.QueryWorkflow(ctx, id, "", workflows.QueryStatus)
	if err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return fmt.Errorf("%s: %w", id, ErrNotFound)
		}
		return fmt.Errorf("query %s: %w", id, err)
	}
	return val.Get(v)
}

// Wait blocks until a report's workflow ends and returns its release.
func (s *Service) Wait(ctx context.Context, slug string) (workflows.Release, error) {
	var rel workflows.Release
	err := s.Temporal.GetWorkflow(ctx, workflows.ReportID(slug), "").Get(ctx, &rel)
	return rel, err
}

// TaskFilter narrows the task list. Every condition goes into the
// visibility query, so the list costs the same however many other tasks
// there are.
type TaskFilter struct {
	Assignee string
	Locale   string
	Slug     string
	// Worker lists what one translator may work on: tasks assigned to
	// Worker or to the pool, in WorkerLocales only. Editors leave it "".
	Worker        string
	WorkerLocales []string
}

// Task is a locale waiting for review.
type Task struct {
	Slug     string `json:"slug"`
	Locale   string `json:"locale"`
	Assignee string `json:"assignee,omitempty"`
	Stage    string `json:"stage"`
	ID       string `json:"workflow_id"`
}

// Tasks lists every locale in review that f selects, sorted by workflow ID,
// following every page. For small lists (one report's tasks) and tools;
// what answers users pages with TasksPage.
func (s *Service) Tasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	var out []Task
	var token []byte
	for {
		page, next, err := s.TasksPage(ctx, f, MaxTaskPage, token)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if token = next; len(token) == 0 {
			break
		}
	}
	slices.SortFunc(out, func(a, b Task) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// TasksPage lists one page of tasks (newest first, as the visibility store
// orders them) and the token of the next page, nil after the last. A size
// of 0 is DefaultTaskPage; more than MaxTaskPage is MaxTaskPage.
func (s *Service) TasksPage(ctx context.Context, f TaskFilter, size int, token []byte) ([]Task, []byte, error) {
	if size <= 0 {
		size = DefaultTaskPage
	}
	size = min(size, MaxTaskPage)
	if f.Worker != "" && len(f.WorkerLocales) == 0 {
		return nil, nil, nil // a translator of no locale has no tasks
	}
	query := taskQuery(f)
	key, err := s.pageKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	token, err = openToken(key, query, token)
	if err != nil {
		return nil, nil, err
	}
	resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: query, PageSize: int32(size), NextPageToken: token,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list tasks: %w", err)
	}
	var out []Task
	for _, e := range resp.GetExecutions() {
		sa := e.GetSearchAttributes()
		out = append(out, Task{
			ID: e.GetExecution().GetWorkflowId(), Slug: keyword(sa, workflows.SearchSlug), Locale: keyword(sa, workflows.SearchLocale),
			Assignee: keyword(sa, workflows.SearchAssignee), Stage: keyword(sa, workflows.SearchStage),
		})
	}
	return out, sealToken(key, query, resp.GetNextPageToken()), nil
}

// taskQuery is the visibility query of a filter.
func taskQuery(f TaskFilter) string {
	q := []string{
		fmt.Sprintf("WorkflowType = '%s'", workflows.LocaleWorkflowName),
		"ExecutionStatus = 'Running'",
		fmt.Sprintf("%s = '%s'", workflows.SearchStage, workflows.StageInReview),
	}
	for _, c := range []struct{ attr, v string }{{workflows.SearchAssignee, f.Assignee}, {workflows.SearchLocale, f.Locale}, {workflows.SearchSlug, f.Slug}} {
		if c.v != "" {
			q = append(q, fmt.Sprintf("%s = '%s'", c.attr, quote(c.v)))
		}
	}
	if f.Worker != "" {
		q = append(q, fmt.Sprintf("%s IN ('%s', '%s')", workflows.SearchAssignee, quote(f.Worker), workflows.PoolAssignee))
		var ls []string
		for _, l := range f.WorkerLocales {
			ls = append(ls, "'"+quote(l)+"'")
		}
		q = append(q, fmt.Sprintf("%s IN (%s)", workflows.SearchLocale, strings.Join(ls, ", ")))
	}
	return strings.Join(q, " AND ")
}

// quote escapes a value for a visibility query.
func quote(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `'`, `\'`) }

func keyword(sa *commonpb.SearchAttributes, name string) string {
	p, ok := sa.GetIndexedFields()[name]
	if !ok {
		return ""
	}
	var s string
	if err := converter.GetDefaultDataConverter().FromPayload(p, &s); err != nil {
		return ""
	}
	return s
}

// ReviewRequest is a translator's decision on one locale.
type ReviewRequest struct {
	Slug, Locale, Reviewer string
	Action                 workflows.Action
	Comment                string            // for reject
	Edits                  map[string]string // for edit: segment ID → text
	// BaseDraft is the sha256 of the draft the edits were made on, for
	// conflict detection; "" edits the current draft whatever it is.
	BaseDraft string
	// Current is the locale's status if the caller has just read it (the
	// API does, to authorize): it saves a query. nil reads it.
	Current *workflows.LocaleStatus
}

// Review sends the review Update. Edits are stored first and only their
// reference and segment IDs travel through the workflow.
func (s *Service) Review(ctx context.Context, r ReviewRequest) (workflows.ReviewResult, error) {
	if err := checkEditLimits(r.Edits); err != nil {
		return workflows.ReviewResult{}, err
	}
	var ls workflows.LocaleStatus
	var err error
	if r.Current != nil {
		ls = *r.Current
	} else if ls, err = s.LocaleStatus(ctx, r.Slug, r.Locale); err != nil {
		return workflows.ReviewResult{}, err
	}
	if ls.CarriedWhole() {
		return workflows.ReviewResult{}, &RefusedError{Type: workflows.ErrNotInReview,
			Reason: fmt.Sprintf("%s is unchanged since v%d: this revision has nothing to review in it", r.Locale, ls.CarriedFrom)}
	}
	req := workflows.ReviewRequest{Reviewer: r.Reviewer, Action: r.Action, Comment: r.Comment, BaseDraft: r.BaseDraft}
	if r.Action == workflows.ActionEdit {
		if len(r.Edits) == 0 {
			return workflows.ReviewResult{}, &RefusedError{Reason: "the edits name no segments", Type: workflows.ErrInvalidReview}
		}
		// The workflow keeps no segment list (it would grow its history
		// with the report): unknown IDs are refused here, against the
		// stored source, before anything is written or sent.
		if err := s.knownSegments(ctx, ls.Source, r.Locale, r.Edits); err != nil {
			return workflows.ReviewResult{}, err
		}
		for id, text := range r.Edits {
			if !utf8.ValidString(text) {
				return workflows.ReviewResult{}, &RefusedError{Reason: fmt.Sprintf("edit of segment %s is not valid UTF-8", id)}
			}
			if strings.TrimSpace(text) == "" {
				return workflows.ReviewResult{}, &RefusedError{Reason: fmt.Sprintf("edit of segment %s is empty", id)}
			}
			req.SegmentIDs = append(req.SegmentIDs, id)
		}
		slices.Sort(req.SegmentIDs)
		b, err := json.Marshal(r.Edits)
		if err != nil {
			return workflows.ReviewResult{}, err
		}
		sha := store.SHA256(b)
		key := store.EditsKey(r.Slug, ls.Source.SHA256, r.Locale, sha)
		if _, err := s.Store.PutImmutable(ctx, key, b, store.Meta{ContentType: "application/json"}); err != nil {
			return workflows.ReviewResult{}, err
		}
		req.Edits = &workflows.Ref{Key: key, SHA256: sha, Size: int64(len(b))}
	}
	// The Update ID makes a retried request idempotent: the same action on
	// the same draft in the same round is applied once. The draft is the
	// one the caller saw when it names one: a retry of an edit whose first
	// attempt was applied (the answer lost) then finds the current draft
	// moved on, and must still be the same Update, not a conflict with
	// itself.
	seen := ls.Draft.SHA256
	if r.BaseDraft != "" {
		seen = r.BaseDraft
	}
	updateID := fmt.Sprintf("review/%s/r%d/%s/%s/%s", r.Locale, ls.Round, short(seen), r.Action, short(store.SHA256(mustJSON(req))))
	var res workflows.ReviewResult
	err = s.update(ctx, workflows.LocaleID(r.Slug, r.Locale), updateID, workflows.UpdateReview, req, &res)
	return res, err
}

// checkEditLimits refuses edits over the segment limits before anything
// is asked of Temporal or stored: Check's cost grows with a segment's
// length and markup, so one huge edit would jam the task.
func checkEditLimits(edits map[string]string) error {
	if len(edits) > report.MaxSegments {
		return &report.Error{Field: "segments", Msg: fmt.Sprintf("the edits name %d segments; a report has at most %d", len(edits), report.MaxSegments)}
	}
	ids := slices.Sorted(maps.Keys(edits))
	for _, id := range ids {
		if err := report.CheckTranslation(id, edits[id]); err != nil {
			return err
		}
	}
	return nil
}

// Approve is the editor's approval of a report waiting at the gate.
func (s *Service) Approve(ctx context.Context, slug, editor string) (workflows.Stage, error) {
	var stage workflows.Stage
	err := s.update(ctx, workflows.ReportID(slug), "approve/"+editor, workflows.UpdateApprove, workflows.ApproveRequest{Editor: editor}, &stage)
	return stage, err
}

func (s *Service) update(ctx context.Context, id, updateID, name string, arg, result any) error {
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateID: updateID, UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	if err == nil {
		return nil
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	// A handler that failed running an activity is a failure, not a refusal.
	var actErr *temporal.ActivityError
	if errors.As(err, &actErr) {
		return fmt.Errorf("%s update on %s failed: %w", name, id, err)
	}
	switch r := refusal(err).(type) {
	case *ConflictError:
		if r.SegmentID != "" {
			r.CurrentText = s.segmentText(ctx, r.Draft, r.SegmentID)
		}
		return r
	case *RefusedError:
		return r
	}
	return fmt.Errorf("%s update on %s: %w", name, id, err)
}

// refusal turns a workflow's typed refusal (workflows.RefusalTypes) into
// a *RefusedError or *ConflictError, and anything else into nil. Refusals
// are told apart by their error type, never by their text.
func refusal(err error) error {
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !slices.Contains(workflows.RefusalTypes, app.Type()) {
		return nil
	}
	if app.Type() == workflows.ErrConflictType {
		var d workflows.ConflictDetails
		_ = app.Details(&d)
		return &ConflictError{Reason: app.Message(), SegmentID: d.SegmentID, By: d.By, Draft: d.Draft}
	}
	return &RefusedError{Reason: app.Message(), Type: app.Type()}
}

// knownSegments refuses edits of segments the source does not have.
func (s *Service) knownSegments(ctx context.Context, source workflows.Ref, locale string, edits map[string]string) error {
	var src report.Report
	if err := s.getJSON(ctx, source, &src); err != nil {
		return fmt.Errorf("read source %s: %w", source.Key, err)
	}
	ids := make(map[string]bool, len(src.Segments))
	for _, seg := range src.Segments {
		ids[seg.ID] = true
	}
	var unknown []string
	for id := range edits {
		if !ids[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return &RefusedError{Reason: fmt.Sprintf("unknown segment ID %q in %s", unknown[0], locale), Type: workflows.ErrUnknownSegment}
	}
	return nil
}

// ConflictError says an edit would overwrite a newer save of the same
// segment by someone else; it carries the current text and who saved it.
type ConflictError struct {
	Reason      string
	SegmentID   string
	By          string
	CurrentText string
	Draft       workflows.Ref
}

func (e *ConflictError) Error() string { return "conflict: " + e.Reason }

// segmentText reads one segment's text from a draft ("" if unreadable).
func (s *Service) segmentText(ctx context.Context, draft workflows.Ref, id string) string {
	var t report.Translation
	if draft.Key == "" || s.getJSON(ctx, draft, &t) != nil {
		return ""
	}
	for _, seg := range t.Segments {
		if seg.ID == id {
			return seg.Text
		}
	}
	return ""
}

// Cancel stops a report's workflow and its locale workflows. Cancelling a
// report that has already finished is refused; repeating a cancel is not
// an error.
func (s *Service) Cancel(ctx context.Context, slug string) error {
	desc, err := s.Temporal.DescribeWorkflow(ctx, workflows.ReportID(slug), "")
	if err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return fmt.Errorf("report %s: %w", slug, ErrNotFound)
		}
		return err
	}
	switch st := desc.Status; st {
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		return s.Temporal.CancelWorkflow(ctx, workflows.ReportID(slug), "")
	case enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED:
		return nil
	default:
		return &RefusedError{Reason: fmt.Sprintf("report %s has already ended (%s)", slug, strings.ToLower(strings.TrimPrefix(st.String(), "WORKFLOW_EXECUTION_STATUS_")))}
	}
}

// ReportSummary is one line of the report list.
type ReportSummary struct {
	Slug      string    `json:"slug"`
	Stage     string    `json:"stage"`
	Status    string    `json:"status"`
	StartedAt time.Time `json:"started_at"`
}

// Reports lists the reports, newest first, from Temporal's visibility store.
func (s *Service) Reports(ctx context.Context, stage string) ([]ReportSummary, error) {
	q := fmt.Sprintf("WorkflowType = '%s'", workflows.ReportWorkflowName)
	if stage != "" {
		q += fmt.Sprintf(" AND %s = '%s'", workflows.SearchStage, quote(stage))
	}
	var out []ReportSummary
	var token []byte
	for {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: q, NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("list reports: %w", err)
		}
		for _, e := range resp.GetExecutions() {
			sa := e.GetSearchAttributes()
			out = append(out, ReportSummary{
				Slug: keyword(sa, workflows.SearchSlug), Stage: keyword(sa, workflows.SearchStage),
				Status:    strings.ToLower(strings.TrimPrefix(e.GetStatus().String(), "WORKFLOW_EXECUTION_STATUS_")),
				StartedAt: e.GetStartTime().AsTime(),
			})
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	return out, nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
