package workflows

import (
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// notifier hands events to EventWorkflow, one abandoned child per event:
// delivery is retried for hours there while the report goes on and may
// finish. With no webhook configured (Events false) it does nothing at
// all — no activity, no event in history.
type notifier struct {
	enabled bool
	id      string // workflow ID and run ID: workflow IDs are reused by resubmissions
	seq     int
	pending []workflow.Future
}

func newNotifier(ctx workflow.Context, enabled bool) notifier {
	info := workflow.GetInfo(ctx)
	return notifier{enabled: enabled, id: info.WorkflowExecution.ID + "/" + info.WorkflowExecution.RunID}
}

// send starts the delivery of an event. Its ID — the webhook's
// Idempotency-Key — is the workflow, its run and a sequence number, so
// every retry carries the same key and a resubmission a new one.
func (n *notifier) send(ctx workflow.Context, e Event) {
	if !n.enabled {
		return
	}
	n.seq++
	e.ID = fmt.Sprintf("%s/%d/%s", n.id, n.seq, e.Type)
	e.At = workflow.Now(ctx).UTC()
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            "event/" + e.ID,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	})
	n.pending = append(n.pending, workflow.ExecuteChildWorkflow(cctx, EventWorkflowName, e).GetChildWorkflowExecution())
}

// wait blocks until every delivery has started (milliseconds), never
// until it is delivered.
func (n *notifier) wait(ctx workflow.Context) {
	for len(n.pending) > 0 {
		f := n.pending[0]
		n.pending = n.pending[1:]
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("event delivery not started", "error", err)
		}
	}
}

// EventWorkflow delivers one event through the Notify activity, retrying
// with backoff for about a day: a receiver that is down that long misses
// the event, and this workflow's failure records it.
func EventWorkflow(ctx workflow.Context, e Event) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Minute,
			MaximumAttempts: 150, NonRetryableErrorTypes: []string{ErrBadInput},
		},
	})
	return workflow.ExecuteActivity(ctx, ActivityNotify, e).Get(ctx, nil)
}
