package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"
)

// CheckPublishAt is the one rule for a publish time, at submit and when
// the editor moves it: in the future, at most MaxScheduleAhead ahead.
func CheckPublishAt(at, now time.Time) error {
	if !at.After(now) {
		return fmt.Errorf("publish time %s is not in the future (now %s); without a publish time a report publishes as soon as it is approved",
			at.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if at.Sub(now) > MaxScheduleAhead {
		return fmt.Errorf("publish time %s is more than %d days ahead", at.UTC().Format(time.RFC3339), int(MaxScheduleAhead/(24*time.Hour)))
	}
	return nil
}

// ParsePublishAt reads an RFC 3339 publish time and checks it.
func ParsePublishAt(s string, now time.Time) (time.Time, error) {
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("publish time %q is not RFC 3339 (e.g. 2027-03-21T14:00:00+01:00)", s)
	}
	if err := CheckPublishAt(at, now); err != nil {
		return time.Time{}, err
	}
	return at.UTC(), nil
}

// validateSchedule refuses a schedule change before it reaches history.
func (rw *reportWorkflow) validateSchedule(ctx workflow.Context, r ScheduleRequest) error {
	if r.Editor == "" {
		return refusal(ErrInvalidSchedule, "editor is required")
	}
	if rw.publishing {
		return refusal(ErrScheduleClosed, "publishing has started (stage %s): the publish time can no longer change", rw.st.Stage)
	}
	switch {
	case r.Clear && r.At != "":
		return refusal(ErrInvalidSchedule, "give a new time or clear it, not both")
	case r.Clear:
		return nil
	case r.At == "":
		return refusal(ErrInvalidSchedule, "give a new publish time (RFC 3339) or clear it")
	}
	if _, err := ParsePublishAt(r.At, workflow.Now(ctx)); err != nil {
		return refusal(ErrInvalidSchedule, "%v", err)
	}
	return nil
}

// schedule moves or clears the publish time; a report waiting on its
// timer wakes up and waits for the new one (or publishes at once).
func (rw *reportWorkflow) schedule(ctx workflow.Context, r ScheduleRequest) (ScheduleResult, error) {
	at := time.Time{}
	if !r.Clear {
		var err error
		// Validated in this same workflow task, so this cannot fail.
		if at, err = ParsePublishAt(r.At, workflow.Now(ctx)); err != nil {
			return ScheduleResult{}, refusal(ErrInvalidSchedule, "%v", err)
		}
	}
	rw.st.PublishAt, rw.st.ScheduledBy, rw.moved = at, r.Editor, true
	return ScheduleResult{Stage: rw.st.Stage, PublishAt: at}, nil
}

// waitSchedule holds an approved report until its publish time on a
// durable timer, in stage scheduled. A moved time restarts the wait; a
// cleared or past one returns at once.
func (rw *reportWorkflow) waitSchedule(ctx workflow.Context) error {
	for !rw.st.PublishAt.IsZero() {
		d := rw.st.PublishAt.Sub(workflow.Now(ctx))
		if d <= 0 {
			return nil
		}
		if rw.st.Stage != StageScheduled {
			rw.setStage(ctx, StageScheduled)
		}
		rw.moved = false
		moved, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return rw.moved })
		if err != nil {
			return err
		}
		if !moved {
			return nil // the timer fired
		}
	}
	return nil
}
