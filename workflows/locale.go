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
	// drafts lists the sha256 of every draft revision in order; edited
	// records, per segment, the revision its last save made and by whom:
	// enough to tell a conflicting save from a harmless one.
	drafts   []string
	edited   map[string]segmentEdit
	notify   notifier
	assigned bool
}

type segmentEdit struct {
	Revision int
	By       string
}

func (lw *localeWorkflow) run(ctx workflow.Context) error {
	lw.notify = notifier{id: workflow.GetInfo(ctx).WorkflowExecution.ID}
	lw.edited = map[string]segmentEdit{}
	lw.setAssignee(ctx, lw.in.Assignee)
	_ = workflow.UpsertTypedSearchAttributes(ctx, slugKey.ValueSet(lw.in.Slug), localeKey.ValueSet(lw.in.Locale))
	defer lw.notify.wait(ctx)
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
		lw.st.Segments, lw.st.Provenance = tr.Segments, tr.Provenance
		lw.newDraft(tr.Draft)

		lw.setStage(ctx, StageChecking)
		if err := lw.check(ctx); err != nil {
			return err
		}

		lw.decision = ""
		lw.setStage(ctx, StageInReview)
		if !lw.assigned {
			// The review deadline counts from when the task is first ready.
			lw.assigned = true
			lw.startDeadline(ctx)
			lw.notify.send(ctx, Event{Type: EventTaskAssigned, Slug: lw.in.Slug, Locale: lw.in.Locale, Assignee: lw.st.Assignee, DueAt: lw.st.DueAt})
		}
		if err := workflow.Await(ctx, func() bool { return lw.decision != "" }); err != nil {
			return err
		}
		if lw.decision == ActionApprove {
			lw.setStage(ctx, StageApproved)
			lw.notify.send(ctx, Event{Type: EventLocaleApproved, Slug: lw.in.Slug, Locale: lw.in.Locale, By: lw.st.ApprovedBy})
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
	lw.signalParent(ctx)
}

// signalParent tells the report workflow this locale's progress. Best
// effort: the parent also receives the final result.
func (lw *localeWorkflow) signalParent(ctx workflow.Context) {
	if lw.in.ParentID != "" {
		_ = workflow.SignalExternalWorkflow(ctx, lw.in.ParentID, "", SignalLocale, lw.st).Get(ctx, nil)
	}
}

// validateReview refuses bad review requests before they reach history.
func (lw *localeWorkflow) validateReview(ctx workflow.Context, r ReviewRequest) error {
	if r.Reviewer == "" {
		return errors.New("reviewer is required")
	}
	if lw.st.Assignee != "" && r.Reviewer != lw.st.Assignee {
		return fmt.Errorf("%s is not the assignee of %s (assigned to %s)", r.Reviewer, lw.in.Locale, lw.st.Assignee)
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
		if err := lw.conflict(r); err != nil {
			return err
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
	// Another save may have landed while this one waited for the lock.
	if r.Action == ActionEdit {
		if err := lw.conflict(r); err != nil {
			return ReviewResult{}, err
		}
	}
	switch r.Action {
	case ActionApprove:
		// An edit may have finished while this approval waited for the
		// lock: its checks decide, not the ones the validator saw.
		if lw.st.Checks.Errors > 0 {
			return ReviewResult{}, fmt.Errorf("%d quality check error(s) in segments %v must be fixed before approval", lw.st.Checks.Errors, lw.st.Checks.Failing)
		}
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
	lw.newDraft(draft)
	for _, id := range r.SegmentIDs {
		lw.edited[id] = segmentEdit{Revision: len(lw.drafts) - 1, By: r.Reviewer}
	}
	lw.st.Edits += len(r.SegmentIDs)
	if err := lw.check(ctx); err != nil {
		// Unchecked drafts may not be approved.
		lw.st.Checks = CheckOutput{Errors: 1, Failing: []string{"(checks did not run)"}}
		return ReviewResult{}, err
	}
	lw.signalParent(ctx)
	return ReviewResult{Stage: StageInReview, Draft: lw.st.Draft, Checks: lw.st.Checks}, nil
}

// newDraft makes ref the current draft revision.
func (lw *localeWorkflow) newDraft(ref Ref) {
	lw.st.Draft = ref
	lw.drafts = append(lw.drafts, ref.SHA256)
}

// conflict refuses an edit made on an older draft to a segment someone
// else saved since. Edits on the current draft, or to untouched segments,
// go through.
func (lw *localeWorkflow) conflict(r ReviewRequest) error {
	if r.BaseDraft == "" || r.BaseDraft == lw.st.Draft.SHA256 {
		return nil
	}
	base := slices.Index(lw.drafts, r.BaseDraft)
	for _, id := range r.SegmentIDs {
		e, ok := lw.edited[id]
		if ok && e.Revision > base {
			return temporal.NewApplicationErrorWithOptions(
				fmt.Sprintf("segment %s was changed by %s after the draft you edited; reload it and apply your change again", id, e.By),
				ErrConflictType,
				temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{ConflictDetails{SegmentID: id, By: e.By, Draft: lw.st.Draft}}})
		}
	}
	return nil
}

// setAssignee records who the task is for; "" is the locale's pool.
func (lw *localeWorkflow) setAssignee(ctx workflow.Context, user string) {
	lw.st.Assignee = user
	_ = workflow.UpsertTypedSearchAttributes(ctx, assigneeKey.ValueSet(orPool(user)))
}

// startDeadline runs the deadline policy on durable timers, from the
// moment the task is first in review: a reminder before the deadline, and
// at it an escalation to the locale's pool.
func (lw *localeWorkflow) startDeadline(ctx workflow.Context) {
	d := lw.in.Deadline
	if d.Within <= 0 {
		return
	}
	lw.st.DueAt = workflow.Now(ctx).Add(d.Within).UTC()
	open := func() bool { return lw.decision != ActionApprove && lw.st.Stage != StageApproved }
	workflow.Go(ctx, func(ctx workflow.Context) {
		first := d.Within
		if d.RemindBefore > 0 && d.RemindBefore < d.Within {
			if workflow.Sleep(ctx, d.Within-d.RemindBefore) != nil {
				return
			}
			if open() {
				lw.notify.send(ctx, Event{Type: EventTaskReminder, Slug: lw.in.Slug, Locale: lw.in.Locale, Assignee: lw.st.Assignee, DueAt: lw.st.DueAt})
			}
			first = d.RemindBefore
		}
		if workflow.Sleep(ctx, first) != nil || !open() {
			return
		}
		previous := lw.st.Assignee
		lw.st.Escalated = true
		lw.setAssignee(ctx, "")
		lw.notify.send(ctx, Event{Type: EventTaskEscalated, Slug: lw.in.Slug, Locale: lw.in.Locale, Previous: previous, DueAt: lw.st.DueAt})
		lw.signalParent(ctx)
	})
}
