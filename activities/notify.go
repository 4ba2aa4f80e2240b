package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/webhook"
	"github.com/pressroom/pressroom/workflows"
)

// Notify delivers one event to the webhook. Temporal retries transient
// failures; the event's ID is the Idempotency-Key, so the receiver
// processes it once. Events exist only for reports submitted where a
// webhook is configured: a worker without one is misconfigured, and says
// so in the failed event workflow rather than dropping the event.
func (a *Activities) Notify(ctx context.Context, e workflows.Event) error {
	log := activity.GetLogger(ctx)
	if a.Webhook == nil || a.Webhook.URL == "" {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("event %s (%s) belongs to a report submitted with a webhook configured, but this worker has no PRESSROOM_WEBHOOK_URL: configure the server and the worker alike", e.ID, e.Type),
			workflows.ErrBadInput, nil)
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	err = a.Webhook.Send(ctx, e.Type, e.ID, body)
	var perm *webhook.PermanentError
	if errors.As(err, &perm) {
		return temporal.NewNonRetryableApplicationError(err.Error(), workflows.ErrBadInput, err)
	}
	if err == nil {
		log.Info("event delivered", "event", e.Type, "id", e.ID)
	}
	return err
}
