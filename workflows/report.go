package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// ReportWorkflow carries a report from draft to a published release: one
// child LocaleWorkflow per target, an optional editor approval gate, then
// Publish.
func ReportWorkflow(ctx workflow.Context, in ReportInput) (Release, error) {
	rw := &reportWorkflow{in: in, st: ReportStatus{
		Slug: in.Slug, Stage: StageDraft, SourceLocale: in.SourceLocale, Source: in.Source, RequireApproval: in.RequireApproval,
	}}
	for _, l := range in.Targets {
		rw.st.Locales = append(rw.st.Locales, LocaleStatus{Locale: l, Stage: StageTranslating, Assignee: in.assignee(l)})
	}
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (ReportStatus, error) { return rw.st, nil }); err != nil {
		return Release{}, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateApprove, rw.approve,
		workflow.UpdateHandlerOptions{Validator: rw.validateApprove}); err != nil {
		return Release{}, err
	}
	rel, err := rw.run(ctx)
	if err != nil {
		if temporal.IsCanceledError(err) || errors.Is(ctx.Err(), workflow.ErrCanceled) {
			rw.st.Stage = StageCancelled
		} else {
			rw.st.Stage, rw.st.Error = StageFailed, err.Error()
		}
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
}

func (rw *reportWorkflow) setStage(ctx workflow.Context, s Stage) {
	rw.st.Stage = s
	_ = workflow.UpsertTypedSearchAttributes(ctx, stageKey.ValueSet(string(s)))
}

func (rw *reportWorkflow) run(ctx workflow.Context) (Release, error) {
	_ = workflow.UpsertTypedSearchAttributes(ctx, slugKey.ValueSet(rw.in.Slug))
	rw.setStage(ctx, StageDraft)
	if len(rw.in.Targets) == 0 {
		return Release{}, temporal.NewNonRetryableApplicationError("a report needs at least one target locale", ErrBadInput, nil)
	}

	// Progress signals from the children keep the status query current.
	progress := workflow.GetSignalChannel(ctx, SignalLocale)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var ls LocaleStatus
			if !progress.Receive(ctx, &ls) {
				return
			}
			rw.updateLocale(ctx, ls)
		}
	})

	rw.setStage(ctx, StageTranslating)
	self := workflow.GetInfo(ctx).WorkflowExecution.ID
	futures := make([]workflow.ChildWorkflowFuture, len(rw.in.Targets))
	for i, locale := range rw.in.Targets {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            LocaleID(rw.in.Slug, locale),
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
			TypedSearchAttributes: temporal.NewSearchAttributes(
				stageKey.ValueSet(string(StageTranslating)), slugKey.ValueSet(rw.in.Slug),
				localeKey.ValueSet(locale), assigneeKey.ValueSet(orPool(rw.in.assignee(locale)))),
		})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, LocaleWorkflowName, LocaleInput{
			Slug: rw.in.Slug, Source: rw.in.Source, SourceLocale: rw.in.SourceLocale,
			Locale: locale, Assignee: rw.in.assignee(locale), ParentID: self, Deadline: rw.in.deadline(locale),
		})
	}
	// Wait for the locales in whatever order they finish, so one that
	// fails ends the report at once instead of after the others' reviews.
	results := make([]LocaleStatus, len(futures))
	var failure error
	sel := workflow.NewSelector(ctx)
	for i, f := range futures {
		sel.AddFuture(f, func(f workflow.Future) {
			var ls LocaleStatus
			if err := f.Get(ctx, &ls); err != nil {
				failure = fmt.Errorf("locale %s: %w", rw.in.Targets[i], err)
				return
			}
			rw.updateLocale(ctx, ls)
			results[i] = ls
		})
	}
	for range futures {
		sel.Select(ctx)
		if failure != nil {
			return Release{}, failure
		}
	}
	approved := results
	for _, ls := range approved {
		rw.st.Approvals = append(rw.st.Approvals, Approval{Locale: ls.Locale, By: ls.ApprovedBy, At: ls.ApprovedAt})
	}

	if rw.in.RequireApproval {
		rw.setStage(ctx, StageAwaitingApproval)
		if err := workflow.Await(ctx, func() bool { return rw.approved }); err != nil {
			return Release{}, err
		}
	}
	rw.setStage(ctx, StageApproved)

	rw.setStage(ctx, StagePublishing)
	var rel Release
	err := workflow.ExecuteActivity(activityOptions(ctx, 15*time.Minute), ActivityPublish, PublishInput{
		Slug: rw.in.Slug, Source: rw.in.Source, SourceLocale: rw.in.SourceLocale,
		Locales: approved, Approvals: rw.st.Approvals, PublishedAt: workflow.Now(ctx).UTC(),
	}).Get(ctx, &rel)
	if err != nil {
		return Release{}, fmt.Errorf("publish: %w", err)
	}
	rw.st.Release = &rel
	rw.setStage(ctx, StagePublished)
	n := notifier{id: self}
	n.send(ctx, Event{Type: EventReportPublished, Slug: rw.in.Slug, Version: rel.Version})
	n.wait(ctx)
	return rel, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// updateLocale records a child's progress; the report is in review once
// every locale has reached review or beyond.
func (rw *reportWorkflow) updateLocale(ctx workflow.Context, ls LocaleStatus) {
	for i := range rw.st.Locales {
		if rw.st.Locales[i].Locale == ls.Locale {
			rw.st.Locales[i] = ls
		}
	}
	if rw.st.Stage != StageTranslating && rw.st.Stage != StageInReview {
		return
	}
	all := true
	for _, l := range rw.st.Locales {
		if l.Stage != StageInReview && l.Stage != StageApproved {
			all = false
		}
	}
	if all && rw.st.Stage == StageTranslating {
		rw.setStage(ctx, StageInReview)
	}
}

func (rw *reportWorkflow) validateApprove(ctx workflow.Context, r ApproveRequest) error {
	if r.Editor == "" {
		return errors.New("editor is required")
	}
	if !rw.in.RequireApproval {
		return errors.New("this report does not require editor approval")
	}
	if rw.st.Stage != StageAwaitingApproval {
		return fmt.Errorf("the report is not awaiting approval (stage %s)", rw.st.Stage)
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
