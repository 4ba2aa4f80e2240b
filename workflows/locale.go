package workflows

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// MaxCommentLength bounds a reject comment: it is the only free text that
// travels through history.
const MaxCommentLength = 2000

// LocaleWorkflow carries one target locale of a report through
// translate → check → review until the assigned translator approves.
// A reject sends it back to translation; edits keep it in review.
func LocaleWorkflow(ctx workflow.Context, in LocaleInput) (LocaleStatus, error) {
	lw := &localeWorkflow{in: in, st: LocaleStatus{Locale: in.Locale, Assignee: in.Assignee, Source: in.Source, Stage: StageTranslating}}
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (LocaleStatus, error) { return lw.st, nil }); err != nil {
		return lw.st, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateReview, lw.review,
		workflow.UpdateHandlerOptions{Validator: lw.validateReview}); err != nil {
		return lw.st, err
	}
	lw.mu = workflow.NewMutex(ctx)
	err := lw.run(ctx)
	if err != nil {
		if temporal.IsCanceledError(err) || errors.Is(ctx.Err(), workflow.ErrCanceled) {
			lw.st.Stage = StageCancelled
		} else {
			lw.st.Stage = StageFailed
			lw.st.Error = err.Error()
		}
		dctx, _ := workflow.NewDisconnectedContext(ctx)
		lw.setStage(dctx, lw.st.Stage)
	}
	return lw.st, err
}

type localeWorkflow struct {
	in         LocaleInput
	st         LocaleStatus
	segmentIDs []string // sorted
	decision   string   // approve or reject, set by the review Update
	mu         workflow.Mutex
}

func (lw *localeWorkflow) run(ctx workflow.Context) error {
	_ = workflow.UpsertTypedSearchAttributes(ctx,
		slugKey.ValueSet(lw.in.Slug), localeKey.ValueSet(lw.in.Locale), assigneeKey.ValueSet(lw.in.Assignee))
	for {
		lw.st.Round++
		lw.setStage(ctx, StageTranslating)
		var tr TranslateOutput
		err := workflow.ExecuteActivity(activityOptions(ctx, 10*time.Minute), ActivityTranslate, TranslateInput{
			Slug: lw.in.Slug, Source: lw.in.Source, SourceLocale: lw.in.SourceLocale, Locale: lw.in.Locale, Round: lw.st.Round,
			WantSegmentIDs: lw.segmentIDs == nil,
		}).Get(ctx, &tr)
		if err != nil {
			return fmt.Errorf("translate %s: %w", lw.in.Locale, err)
		}
		if tr.SegmentIDs != nil {
			lw.segmentIDs = tr.SegmentIDs
		}
		lw.st.Segments, lw.st.Draft, lw.st.Provenance = tr.Segments, tr.Draft, tr.Provenance

		lw.setStage(ctx, StageChecking)
		if err := lw.check(ctx); err != nil {
			return err
		}

		lw.decision = ""
		lw.setStage(ctx, StageInReview)
		if err := workflow.Await(ctx, func() bool { return lw.decision != "" }); err != nil {
			return err
		}
		if lw.decision == ActionApprove {
			lw.setStage(ctx, StageApproved)
			// Let in-flight update handlers finish before completing.
			return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		}
		// Rejected: translate again and go back to review.
	}
}

func (lw *localeWorkflow) check(ctx workflow.Context) error {
	var out CheckOutput
	err := workflow.ExecuteActivity(activityOptions(ctx, 5*time.Minute), ActivityCheck, CheckInput{
		Source: lw.in.Source, Draft: lw.st.Draft, Locale: lw.in.Locale,
	}).Get(ctx, &out)
	if err != nil {
		return fmt.Errorf("check %s: %w", lw.in.Locale, err)
	}
	lw.st.Checks = out
	return nil
}

// setStage records the stage, tells Temporal's visibility store and the
// parent report.
func (lw *localeWorkflow) setStage(ctx workflow.Context, s Stage) {
	lw.st.Stage = s
	_ = workflow.UpsertTypedSearchAttributes(ctx, stageKey.ValueSet(string(s)))
	if lw.in.ParentID != "" {
		// Best effort: the parent also receives the final result.
		_ = workflow.SignalExternalWorkflow(ctx, lw.in.ParentID, "", SignalLocale, lw.st).Get(ctx, nil)
	}
}

// validateReview refuses bad review requests before they reach history.
func (lw *localeWorkflow) validateReview(ctx workflow.Context, r ReviewRequest) error {
	if r.Reviewer == "" {
		return errors.New("reviewer is required")
	}
	if lw.in.Assignee != "" && r.Reviewer != lw.in.Assignee {
		return fmt.Errorf("%s is not the assignee of %s (assigned to %s)", r.Reviewer, lw.in.Locale, lw.in.Assignee)
	}
	if lw.st.Stage != StageInReview || lw.decision != "" {
		return fmt.Errorf("the %s task is not in review (stage %s)", lw.in.Locale, lw.st.Stage)
	}
	switch r.Action {
	case ActionApprove:
		if lw.st.Checks.Errors > 0 {
			return fmt.Errorf("%d quality check error(s) in segments %v must be fixed before approval", lw.st.Checks.Errors, lw.st.Checks.Failing)
		}
	case ActionReject:
		if r.Comment == "" {
			return errors.New("a reject needs a comment saying what to fix")
		}
		if len(r.Comment) > MaxCommentLength {
			return fmt.Errorf("comment is %d bytes; the limit is %d", len(r.Comment), MaxCommentLength)
		}
	case ActionEdit:
		if r.Edits == nil || r.Edits.Key == "" || r.Edits.SHA256 == "" {
			return errors.New("edits need a stored edits document (key and sha256)")
		}
		if len(r.SegmentIDs) == 0 {
			return errors.New("edits name no segments")
		}
		for _, id := range r.SegmentIDs {
			if _, ok := slices.BinarySearch(lw.segmentIDs, id); !ok {
				return fmt.Errorf("unknown segment ID %q in %s", id, lw.in.Locale)
			}
		}
	default:
		return fmt.Errorf("unknown action %q (want approve, edit or reject)", r.Action)
	}
	return nil
}

// review applies an accepted review request.
func (lw *localeWorkflow) review(ctx workflow.Context, r ReviewRequest) (ReviewResult, error) {
	// Edits run activities; serialize them so two saves never interleave.
	if err := lw.mu.Lock(ctx); err != nil {
		return ReviewResult{}, err
	}
	defer lw.mu.Unlock()
	if lw.st.Stage != StageInReview || lw.decision != "" {
		return ReviewResult{}, fmt.Errorf("the %s task is no longer in review (stage %s)", lw.in.Locale, lw.st.Stage)
	}
	switch r.Action {
	case ActionApprove:
		lw.decision = ActionApprove
		lw.st.ApprovedBy, lw.st.ApprovedAt = r.Reviewer, workflow.Now(ctx)
		return ReviewResult{Stage: StageApproved, Draft: lw.st.Draft, Checks: lw.st.Checks}, nil
	case ActionReject:
		lw.decision = ActionReject
		lw.st.LastComment = r.Comment
		return ReviewResult{Stage: StageTranslating, Draft: lw.st.Draft, Checks: lw.st.Checks}, nil
	}
	var draft Ref
	err := workflow.ExecuteActivity(activityOptions(ctx, 5*time.Minute), ActivityApplyEdits, ApplyEditsInput{
		Slug: lw.in.Slug, Source: lw.in.Source, Locale: lw.in.Locale, Draft: lw.st.Draft, Edits: *r.Edits, Reviewer: r.Reviewer,
	}).Get(ctx, &draft)
	if err != nil {
		return ReviewResult{}, fmt.Errorf("apply edits: %w", err)
	}
	lw.st.Draft = draft
	lw.st.Edits += len(r.SegmentIDs)
	if err := lw.check(ctx); err != nil {
		return ReviewResult{}, err
	}
	return ReviewResult{Stage: StageInReview, Draft: lw.st.Draft, Checks: lw.st.Checks}, nil
}
