package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// notifier sends events through the Notify activity without holding up
// the workflow; wait lets them finish before the workflow completes.
type notifier struct {
	id      string
	seq     int
	pending []workflow.Future
}

// send delivers an event. Its ID is derived from the workflow and a
// sequence number, so a retried delivery carries the same idempotency key.
func (n *notifier) send(ctx workflow.Context, e Event) {
	n.seq++
	e.ID = fmt.Sprintf("%s/%d/%s", n.id, n.seq, e.Type)
	e.At = workflow.Now(ctx).UTC()
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
			// A receiver that is down for a day misses the event; the
			// workflow's history still has it.
			MaximumAttempts: 30,
		},
	})
	n.pending = append(n.pending, workflow.ExecuteActivity(ctx, ActivityNotify, e))
}

// wait blocks until every event has been delivered or has given up.
func (n *notifier) wait(ctx workflow.Context) {
	// Events sent while waiting (a timer firing) are waited for too.
	for len(n.pending) > 0 {
		f := n.pending[0]
		n.pending = n.pending[1:]
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("event not delivered", "error", err)
		}
	}
}
