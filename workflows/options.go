package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Errors that retrying cannot fix; activities return them as
// non-retryable application errors.
const (
	ErrBadInput    = "BadInput"
	ErrUnsupported = "UnsupportedLanguagePair"
	ErrConflict    = "ImmutableConflict"
	ErrTranslation = "TranslationFailed"
)

var nonRetryable = []string{ErrBadInput, ErrUnsupported, ErrConflict, ErrTranslation, ErrUnknownSegment}

// Attempt limits: an activity that keeps failing ends the locale (and the
// report) with the reason after about ten minutes of backoff, instead of
// retrying for ever on a worker that burns CPU for nothing.
const (
	maxAttempts = 10
	// heartbeatTimeout: long activities heartbeat in their loops, so a
	// worker that died is noticed within a minute, not at the
	// start-to-close timeout.
	heartbeatTimeout = time.Minute
)

func retryPolicy() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        time.Minute,
		MaximumAttempts:        maxAttempts,
		NonRetryableErrorTypes: nonRetryable,
	}
}

// activityOptions: activities are idempotent, so transient failures (S3
// or MT briefly down) are retried with backoff; bad input is not.
func activityOptions(ctx workflow.Context, timeout time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: timeout,
		HeartbeatTimeout:    heartbeatTimeout,
		RetryPolicy:         retryPolicy(),
	})
}

// localActivityOptions are for short steps run inside a workflow task
// (one marker event instead of three events and a second workflow task).
// A local activity runs on the worker that holds the workflow, so a dead
// worker is noticed by the workflow task timeout; no heartbeat applies.
func localActivityOptions(ctx workflow.Context, timeout time.Duration) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: timeout,
		RetryPolicy:         retryPolicy(),
	})
}

// gaveUp makes an activity failure say so when its attempts ran out.
func gaveUp(step string, err error) error {
	var act *temporal.ActivityError
	if errors.As(err, &act) && act.RetryState() == enumspb.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED {
		return fmt.Errorf("%s: gave up after %d attempts: %w", step, maxAttempts, err)
	}
	return fmt.Errorf("%s: %w", step, err)
}

// refusal is a typed, non-retryable application error of a validator.
func refusal(typ, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), typ, nil)
}

var (
	stageKey    = temporal.NewSearchAttributeKeyKeyword(SearchStage)
	slugKey     = temporal.NewSearchAttributeKeyKeyword(SearchSlug)
	localeKey   = temporal.NewSearchAttributeKeyKeyword(SearchLocale)
	assigneeKey = temporal.NewSearchAttributeKeyKeyword(SearchAssignee)
)
