package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// ReportWorkflow carries a report from draft to a published release. It
// drafts every target itself in one TranslateReport activity (checks
// included), then starts one child LocaleWorkflow per target already in
// review — none for a revision's locale with nothing changed — waits for
// them, waits for the editor when the report asks for it, waits for its
// publish time when it has one, then publishes: once (all-at-once) or
// at every approval (per-locale).
//
// Children send no progress: the report learns what it needs from its
// own activities and the children's results, and the service reads a
// locale's live status (edits, escalations) from the locale's own query.
// That keeps a report at a few dozen history events.
func ReportWorkflow(ctx workflow.Context, in ReportInput) (Release, error) {
	rw := &reportWorkflow{in: in, st: ReportStatus{
		Slug: in.Slug, Stage: StageDraft, SourceLocale: in.SourceLocale, Source: in.Source, RequireApproval: in.RequireApproval,
		Policy: in.Policy, PublishAt: in.PublishAt,
	}}
	for _, l := range in.Targets {
		rw.st.Locales = append(rw.st.Locales, LocaleStatus{Locale: l, Stage: StageTranslating, Assignee: in.assignee(l), Source: in.Source})
	}
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (ReportStatus, error) { return rw.st, nil }); err != nil {
		return Release{}, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateApprove, rw.approve,
		workflow.UpdateHandlerOptions{Validator: rw.validateApprove}); err != nil {
		return Release{}, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateSchedule, rw.schedule,
		workflow.UpdateHandlerOptions{Validator: rw.validateSchedule}); err != nil {
		return Release{}, err
	}
	rel, err := rw.run(ctx)
	if err != nil {
		if temporal.IsCanceledError(err) || errors.Is(ctx.Err(), workflow.ErrCanceled) {
			rw.st.Stage = StageCancelled
		} else {
			rw.st.Stage, rw.st.Error = StageFailed, err.Error()
		}
		rw.publishing = true // ended: nothing left to schedule
		dctx, _ := workflow.NewDisconnectedContext(ctx)
		_ = workflow.UpsertTypedSearchAttributes(dctx, stageKey.ValueSet(string(rw.st.Stage)))
	}
	return rel, err
}

// deadline is the policy for one locale: its own, else the default.
func (in ReportInput) deadline(locale string) Deadline {
	var def Deadline
	for _, d := range in.Deadlines {
		if d.Locale == locale {
			return d.Deadline
		}
		if d.Locale == "" {
			def = d.Deadline
		}
	}
	return def
}

func (in ReportInput) assignee(locale string) string {
	for _, a := range in.Reviewers {
		if a.Locale == locale {
			return a.User
		}
	}
	return ""
}

type reportWorkflow struct {
	in       ReportInput
	st       ReportStatus
	approved bool
	// moved says the schedule Update changed the publish time; publishing
	// closes the schedule.
	moved, publishing bool
}

// setStage records the stage and tells the visibility store (one event;
// intermediate stages within one workflow task are not upserted).
func (rw *reportWorkflow) setStage(ctx workflow.Context, s Stage) {
	rw.st.Stage = s
	_ = workflow.UpsertTypedSearchAttributes(ctx, stageKey.ValueSet(string(s)))
}

func (rw *reportWorkflow) run(ctx workflow.Context) (Release, error) {
	if len(rw.in.Targets) == 0 {
		return Release{}, temporal.NewNonRetryableApplicationError("a report needs at least one target locale", ErrBadInput, nil)
	}
	if err := rw.in.checkPolicy(); err != nil {
		return Release{}, err
	}
	rw.st.Stage = StageTranslating
	// The service starts the workflow with its slug and stage set; only a
	// workflow started some other way upserts them.
	if v, _ := workflow.GetTypedSearchAttributes(ctx).GetKeyword(stageKey); v != string(StageTranslating) {
		_ = workflow.UpsertTypedSearchAttributes(ctx, slugKey.ValueSet(rw.in.Slug), stageKey.ValueSet(string(StageTranslating)))
	}

	// Draft every locale in one activity, then open every review task.
	n := len(rw.in.Targets)
	var drafts []TranslateOutput
	err := workflow.ExecuteActivity(activityOptions(ctx, 20*time.Minute), ActivityTranslateReport, TranslateReportInput{
		Slug: rw.in.Slug, Source: rw.in.Source, SourceLocale: rw.in.SourceLocale, Locales: rw.in.Targets,
	}).Get(ctx, &drafts)
	if err != nil {
		return Release{}, gaveUp("translate", err)
	}
	if len(drafts) != n {
		return Release{}, fmt.Errorf("translate: %d drafts for %d locales", len(drafts), n)
	}
	results := make([]LocaleStatus, n)
	approved := make([]bool, n)
	var failure error
	started, finished := 0, 0
	sel := workflow.NewSelector(ctx)
	for i, locale := range rw.in.Targets {
		tr := drafts[i]
		ls := &rw.st.Locales[i]
		ls.Round, ls.Draft, ls.Segments, ls.Provenance, ls.Checks = 1, tr.Draft, tr.Segments, tr.Provenance, tr.Checks
		ls.Review, ls.CarriedFrom = tr.Review, tr.CarriedFrom
		if tr.Unchanged() {
			// Nothing changed since the release it was approved in: the
			// locale needs no review and no task.
			ls.Stage = StageApproved
			if tr.Carried != nil {
				ls.ApprovedBy, ls.ApprovedAt = tr.Carried.By, tr.Carried.At
			}
			results[i], approved[i] = *ls, true
			started++
			finished++
			continue
		}
		child := rw.startLocale(ctx, locale, tr)
		// In review once the task exists (its start is in history).
		sel.AddFuture(child.GetChildWorkflowExecution(), func(f workflow.Future) {
			if err := f.Get(ctx, nil); err != nil {
				failure = fmt.Errorf("locale %s: %w", locale, err)
				return
			}
			started++
			if rw.st.Locales[i].Stage == StageTranslating {
				rw.st.Locales[i].Stage = StageInReview
			}
		})
		sel.AddFuture(child, func(f workflow.Future) {
			var ls LocaleStatus
			if err := f.Get(ctx, &ls); err != nil {
				failure = fmt.Errorf("locale %s: %w", locale, err)
				return
			}
			finished++
			rw.st.Locales[i] = ls
			results[i], approved[i] = ls, true
		})
	}
	perLocale := rw.in.Policy == PolicyPerLocale
	var rel Release
	for finished < n || (perLocale && rw.unpublished(approved)) {
		if finished < n {
			sel.Select(ctx)
			for failure == nil && sel.HasPending() {
				sel.Select(ctx) // take every approval already in
			}
		}
		if failure != nil {
			return Release{}, failure
		}
		if started == n && rw.st.Stage == StageTranslating {
			// Every task is in review (the children start in review).
			rw.setStage(ctx, StageInReview)
		}
		if perLocale && rw.unpublished(approved) {
			if err := rw.waitSchedule(ctx); err != nil {
				return Release{}, err
			}
			for failure == nil && finished < n && sel.HasPending() {
				sel.Select(ctx) // approvals that came in while it waited
			}
			if failure != nil {
				return Release{}, failure
			}
			if rel, err = rw.publishApproved(ctx, results, approved); err != nil {
				return Release{}, err
			}
			if finished < n {
				rw.setStage(ctx, StageInReview)
			}
		}
	}
	if perLocale {
		return rw.published(ctx, rel)
	}
	rw.st.Approvals = rw.localeApprovals(results)
	if rw.in.RequireApproval {
		rw.setStage(ctx, StageAwaitingApproval)
		if err := workflow.Await(ctx, func() bool { return rw.approved }); err != nil {
			return Release{}, err
		}
	}
	if err := rw.waitSchedule(ctx); err != nil {
		return Release{}, err
	}
	if rel, err = rw.publish(ctx, results); err != nil {
		return Release{}, err
	}
	return rw.published(ctx, rel)
}

// checkPolicy refuses a publish policy the workflow cannot follow.
func (in ReportInput) checkPolicy() error {
	if err := CheckPolicy(in.Policy, in.RequireApproval); err != nil {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrBadInput, nil)
	}
	return nil
}

// CheckPolicy is the rule for a publish policy: all-at-once ("" too), or
// per-locale without editor approval. The service applies it at submit;
// the workflow again for a start that did not come through the service.
func CheckPolicy(policy string, requireApproval bool) error {
	switch policy {
	case "", PolicyAllAtOnce:
		return nil
	case PolicyPerLocale:
		if requireApproval {
			return errors.New("the per-locale policy publishes each locale when it is approved: it cannot be combined with editor approval")
		}
		return nil
	}
	return fmt.Errorf("unknown publish policy %q (want %s or %s)", policy, PolicyAllAtOnce, PolicyPerLocale)
}

// unpublished reports whether an approved locale is not yet released.
func (rw *reportWorkflow) unpublished(approved []bool) bool {
	for i, ok := range approved {
		if ok && rw.st.Locales[i].Stage != StagePublished {
			return true
		}
	}
	return false
}

// publishApproved is the per-locale policy's step: one release of every
// locale approved so far.
func (rw *reportWorkflow) publishApproved(ctx workflow.Context, results []LocaleStatus, approved []bool) (Release, error) {
	var locales []LocaleStatus
	var idx []int
	for i, ok := range approved {
		if ok {
			locales, idx = append(locales, results[i]), append(idx, i)
		}
	}
	rel, err := rw.publish(ctx, locales)
	if err != nil {
		return Release{}, err
	}
	for _, i := range idx {
		rw.st.Locales[i].Stage = StagePublished
	}
	return rel, nil
}

// publish writes one release of locales (approved, in target order).
// Approved and publishing happen in one workflow task: one upsert.
func (rw *reportWorkflow) publish(ctx workflow.Context, locales []LocaleStatus) (Release, error) {
	rw.publishing = true
	rw.setStage(ctx, StagePublishing)
	approvals := append(rw.localeApprovals(locales), rw.editorApprovals()...)
	rw.st.Approvals = approvals
	var rel Release
	err := workflow.ExecuteActivity(activityOptions(ctx, 15*time.Minute), ActivityPublish, PublishInput{
		Slug: rw.in.Slug, Source: rw.in.Source, SourceLocale: rw.in.SourceLocale,
		Locales: locales, Approvals: approvals, PublishedAt: workflow.Now(ctx).UTC(),
	}).Get(ctx, &rel)
	if err != nil {
		return Release{}, gaveUp("publish", err)
	}
	rw.st.Release = &rel
	return rel, nil
}

func (rw *reportWorkflow) localeApprovals(locales []LocaleStatus) []Approval {
	var out []Approval
	for _, ls := range locales {
		out = append(out, Approval{Locale: ls.Locale, By: ls.ApprovedBy, At: ls.ApprovedAt})
	}
	return out
}

// editorApprovals are the approvals of the report itself (Locale "").
func (rw *reportWorkflow) editorApprovals() []Approval {
	var out []Approval
	for _, a := range rw.st.Approvals {
		if a.Locale == "" {
			out = append(out, a)
		}
	}
	return out
}

func (rw *reportWorkflow) published(ctx workflow.Context, rel Release) (Release, error) {
	rw.setStage(ctx, StagePublished)
	events := newNotifier(ctx, rw.in.Events)
	events.send(ctx, Event{Type: EventReportPublished, Slug: rw.in.Slug, Version: rel.Version})
	events.wait(ctx)
	return rel, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// startLocale starts a locale's review task with its first draft; its
// search attributes say "in review" from the first event.
func (rw *reportWorkflow) startLocale(ctx workflow.Context, locale string, first TranslateOutput) workflow.ChildWorkflowFuture {
	assignee := rw.in.assignee(locale)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            LocaleID(rw.in.Slug, locale),
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			stageKey.ValueSet(string(StageInReview)), slugKey.ValueSet(rw.in.Slug),
			localeKey.ValueSet(locale), assigneeKey.ValueSet(orPool(assignee))),
	})
	return workflow.ExecuteChildWorkflow(cctx, LocaleWorkflowName, LocaleInput{
		Slug: rw.in.Slug, Source: rw.in.Source, SourceLocale: rw.in.SourceLocale,
		Locale: locale, Assignee: assignee, Deadline: rw.in.deadline(locale), Events: rw.in.Events, First: &first,
	})
}

func (rw *reportWorkflow) validateApprove(ctx workflow.Context, r ApproveRequest) error {
	if r.Editor == "" {
		return refusal(ErrInvalidApprove, "editor is required")
	}
	if !rw.in.RequireApproval {
		return refusal(ErrNoApprovalNeeded, "this report does not require editor approval")
	}
	if rw.st.Stage != StageAwaitingApproval {
		return refusal(ErrNotAwaiting, "the report is not awaiting approval (stage %s)", rw.st.Stage)
	}
	return nil
}

func (rw *reportWorkflow) approve(ctx workflow.Context, r ApproveRequest) (Stage, error) {
	if rw.approved {
		return rw.st.Stage, nil
	}
	rw.approved = true
	rw.st.Approvals = append(rw.st.Approvals, Approval{By: r.Editor, At: workflow.Now(ctx).UTC()})
	return StageApproved, nil
}

func orPool(user string) string {
	if user == "" {
		return PoolAssignee
	}
	return user
}
