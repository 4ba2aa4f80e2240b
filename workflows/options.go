package workflows

import (
	"time"

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

var nonRetryable = []string{ErrBadInput, ErrUnsupported, ErrConflict, ErrTranslation}

// activityOptions: activities are idempotent, so transient failures (S3
// or MT briefly down) are retried with backoff; bad input is not.
func activityOptions(ctx workflow.Context, timeout time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: timeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			NonRetryableErrorTypes: nonRetryable,
		},
	})
}

var (
	stageKey    = temporal.NewSearchAttributeKeyKeyword(SearchStage)
	slugKey     = temporal.NewSearchAttributeKeyKeyword(SearchSlug)
	localeKey   = temporal.NewSearchAttributeKeyKeyword(SearchLocale)
	assigneeKey = temporal.NewSearchAttributeKeyKeyword(SearchAssignee)
)
