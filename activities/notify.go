package activities

import (
	"context"
	"encoding/json"
	"errors"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/webhook"
	"github.com/pressroom/pressroom/workflows"
)

// Notify delivers one event to the webhook, if one is configured.
// Temporal retries transient failures; the event's ID is the
// Idempotency-Key, so the receiver processes it once.
func (a *Activities) Notify(ctx context.Context, e workflows.Event) error {
	log := activity.GetLogger(ctx)
	if a.Webhook == nil || a.Webhook.URL == "" {
		log.Debug("no webhook configured; event not sent", "event", e.Type, "id", e.ID)
		return nil
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
