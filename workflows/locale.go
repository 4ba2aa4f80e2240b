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

// LocaleWorkflow carries one target locale of a report through review
// until the assignee approves. It usually starts in review with the draft
// the report workflow made (LocaleInput.First); without one, and after a
// reject, it translates (checks included) itself. Edits keep it in
// review.
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
	in       LocaleInput
	st       LocaleStatus
	decision Action // approve or reject, set by the review Update
	mu       workflow.Mutex
	// drafts lists the sha256 of every draft revision in order; edited
	// records, per segment, the revision its last save made and by whom:
	// enough to tell a conflicting save from a harmless one.
	drafts   []string
	draftBy  string // who saved the current draft; "" when translated
	edited   map[string]segmentEdit
	notify   notifier
	assigned bool
	// visible is the stage the visibility store has, to upsert only changes.
	visible Stage
}

type segmentEdit struct {
	Revision int
	By       string
}

func (lw *localeWorkflow) run(ctx workflow.Context) error {
	lw.notify = newNotifier(ctx, lw.in.Events)
	lw.edited = map[string]segmentEdit{}
	sa := workflow.GetTypedSearchAttributes(ctx)
	if v, ok := sa.GetKeyword(stageKey); ok {
		lw.visible = Stage(v)
	}
	if _, ok := sa.GetKeyword(localeKey); !ok {
		// Started without the report workflow's search attributes.
		_ = workflow.UpsertTypedSearchAttributes(ctx, slugKey.ValueSet(lw.in.Slug), localeKey.ValueSet(lw.in.Locale),
			assigneeKey.ValueSet(orPool(lw.in.Assignee)))
	}
	defer lw.notify.wait(ctx)
	for {
		lw.st.Round++
		tr, err := lw.draft(ctx)
		if err != nil {
			return err
		}
		lw.st.Segments, lw.st.Provenance, lw.st.Checks = tr.Segments, tr.Provenance, tr.Checks
		lw.st.Review, lw.st.CarriedFrom = tr.Review, tr.CarriedFrom
		lw.newDraft(tr.Draft, "")

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

// draft is this round's draft: the one the report made for round 1, else
// a new translation (quality checks run inside Translate).
func (lw *localeWorkflow) draft(ctx workflow.Context) (TranslateOutput, error) {
	if lw.st.Round == 1 && lw.in.First != nil {
		return *lw.in.First, nil
	}
	lw.setStage(ctx, StageTranslating)
	in := TranslateInput{Slug: lw.in.Slug, Source: lw.in.Source, SourceLocale: lw.in.SourceLocale, Locale: lw.in.Locale, Round: lw.st.Round}
	if lw.in.First != nil {
		in.CarryFrom = lw.in.First.CarriedFrom
	}
	var tr TranslateOutput
	err := workflow.ExecuteActivity(activityOptions(ctx, 10*time.Minute), ActivityTranslate, in).Get(ctx, &tr)
	if err != nil {
		return tr, gaveUp("translate "+lw.in.Locale, err)
	}
	return tr, nil
}

// setStage records the stage and tells Temporal's visibility store when
// it changed there.
func (lw *localeWorkflow) setStage(ctx workflow.Context, s Stage) {
	lw.st.Stage = s
	if lw.visible != s {
		lw.visible = s
		_ = workflow.UpsertTypedSearchAttributes(ctx, stageKey.ValueSet(string(s)))
	}
}

func (lw *localeWorkflow) inReview() error {
	if lw.st.Stage != StageInReview || lw.decision != "" {
		return refusal(ErrNotInReview, "the %s task is not in review (stage %s)", lw.in.Locale, lw.st.Stage)
	}
	return nil
}

func (lw *localeWorkflow) checksPass() error {
	if lw.st.Checks.Errors > 0 {
		return refusal(ErrChecksFailing, "%d quality check error(s) in segments %v must be fixed before approval", lw.st.Checks.Errors, lw.st.Checks.Failing)
	}
	return nil
}

// validateReview refuses bad review requests before they reach history.
// Segment IDs are not kept in the workflow (they would grow its history
// with the report): the service checks them against the stored source,
// and ApplyEdits refuses unknown ones again.
func (lw *localeWorkflow) validateReview(ctx workflow.Context, r ReviewRequest) error {
	if r.Reviewer == "" {
		return refusal(ErrInvalidReview, "reviewer is required")
	}
	if lw.st.Assignee != "" && r.Reviewer != lw.st.Assignee {
		return refusal(ErrNotAssignee, "%s is not the assignee of the %s task", r.Reviewer, lw.in.Locale)
	}
	if err := lw.inReview(); err != nil {
		return err
	}
	switch r.Action {
	case ActionApprove:
		if err := lw.checksPass(); err != nil {
			return err
		}
		return lw.staleApproval(r)
	case ActionReject:
		if r.Comment == "" {
			return refusal(ErrInvalidReview, "a reject needs a comment saying what to fix")
		}
		if len(r.Comment) > MaxCommentLength {
			return refusal(ErrInvalidReview, "comment is %d bytes; the limit is %d", len(r.Comment), MaxCommentLength)
		}
	case ActionEdit:
		if r.Edits == nil || r.Edits.Key == "" || r.Edits.SHA256 == "" {
			return refusal(ErrInvalidReview, "edits need a stored edits document (key and sha256)")
		}
		if len(r.SegmentIDs) == 0 {
			return refusal(ErrInvalidReview, "edits name no segments")
		}
		return lw.conflict(r)
	default:
		return refusal(ErrInvalidReview, "unknown action %q (want approve, edit or reject)", r.Action)
	}
	return nil
}

// review applies an accepted review request.
func (lw *localeWorkflow) review(ctx workflow.Context, r ReviewRequest) (ReviewResult, error) {
	// Edits run an activity; serialize them so two saves never interleave.
	if err := lw.mu.Lock(ctx); err != nil {
		return ReviewResult{}, err
	}
	defer lw.mu.Unlock()
	// Another save may have landed while this one waited for the lock:
	// check again against the state it left.
	if err := lw.inReview(); err != nil {
		return ReviewResult{}, err
	}
	switch r.Action {
	case ActionApprove:
		if err := lw.checksPass(); err != nil {
			return ReviewResult{}, err
		}
		if err := lw.staleApproval(r); err != nil {
			return ReviewResult{}, err
		}
		lw.decision = ActionApprove
		lw.st.ApprovedBy, lw.st.ApprovedAt = r.Reviewer, workflow.Now(ctx)
		return ReviewResult{Stage: StageApproved, Draft: lw.st.Draft, Checks: lw.st.Checks}, nil
	case ActionReject:
		lw.decision = ActionReject
		lw.st.LastComment = r.Comment
		return ReviewResult{Stage: StageTranslating, Draft: lw.st.Draft, Checks: lw.st.Checks}, nil
	}
	if err := lw.conflict(r); err != nil {
		return ReviewResult{}, err
	}
	// ApplyEdits is short (read, replace, check, write): a local activity,
	// inside the Update's own workflow task.
	var out ApplyEditsOutput
	err := workflow.ExecuteLocalActivity(localActivityOptions(ctx, 2*time.Minute), ActivityApplyEdits, ApplyEditsInput{
		Slug: lw.in.Slug, Source: lw.in.Source, Locale: lw.in.Locale, Draft: lw.st.Draft, Edits: *r.Edits, Reviewer: r.Reviewer,
	}).Get(ctx, &out)
	if err != nil {
		var app *temporal.ApplicationError
		if errors.As(err, &app) && app.Type() == ErrUnknownSegment {
			return ReviewResult{}, refusal(ErrUnknownSegment, "%s", app.Message())
		}
		return ReviewResult{}, gaveUp("apply edits", err)
	}
	lw.newDraft(out.Draft, r.Reviewer)
	lw.st.Checks = out.Checks
	for _, id := range r.SegmentIDs {
		lw.edited[id] = segmentEdit{Revision: len(lw.drafts) - 1, By: r.Reviewer}
	}
	lw.st.Edits += len(r.SegmentIDs)
	return ReviewResult{Stage: StageInReview, Draft: lw.st.Draft, Checks: lw.st.Checks}, nil
}

// newDraft makes ref the current draft revision, saved by by.
func (lw *localeWorkflow) newDraft(ref Ref, by string) {
	lw.st.Draft, lw.draftBy = ref, by
	lw.drafts = append(lw.drafts, ref.SHA256)
}

// staleApproval refuses an approval of a draft other than the current one:
// the approver must see a colleague's later edit before approving it.
func (lw *localeWorkflow) staleApproval(r ReviewRequest) error {
	if r.BaseDraft == "" || r.BaseDraft == lw.st.Draft.SHA256 {
		return nil
	}
	by := lw.draftBy
	return temporal.NewApplicationErrorWithOptions(
		fmt.Sprintf("the %s draft changed after the one you reviewed; reload it and approve again", lw.in.Locale),
		ErrConflictType,
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{ConflictDetails{By: by, Draft: lw.st.Draft}}})
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

// startDeadline runs the deadline policy on durable timers, from the
// moment the task is first in review: a reminder before the deadline
// (only when a webhook is there to deliver it), and at it an escalation
// to the locale's pool.
func (lw *localeWorkflow) startDeadline(ctx workflow.Context) {
	d := lw.in.Deadline
	if d.Within <= 0 {
		return
	}
	lw.st.DueAt = workflow.Now(ctx).Add(d.Within).UTC()
	open := func() bool { return lw.decision != ActionApprove && lw.st.Stage != StageApproved }
	workflow.Go(ctx, func(ctx workflow.Context) {
		first := d.Within
		if lw.in.Events && d.RemindBefore > 0 && d.RemindBefore < d.Within {
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
		lw.st.Assignee = ""
		// The audit reads the escalation from this upsert.
		_ = workflow.UpsertTypedSearchAttributes(ctx, assigneeKey.ValueSet(PoolAssignee))
		lw.notify.send(ctx, Event{Type: EventTaskEscalated, Slug: lw.in.Slug, Locale: lw.in.Locale, Previous: previous, DueAt: lw.st.DueAt})
	})
}
