package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The empty tree: the shape of a report with no work in it — a parent,
// one child per locale running two no-op activities and waiting for an
// approve Update, then one no-op publish activity in the parent. It runs
// on its own task queue, served by a worker inside the bench process.
const (
	emptyReportName = "BenchEmptyReport"
	emptyLocaleName = "BenchEmptyLocale"
	emptyActivity   = "BenchNoop"
	emptyApprove    = "approve"
	errNotReady     = "NotReady"
)

func emptyOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
}

// EmptyReport is the parent of the empty tree.
func EmptyReport(ctx workflow.Context, locales []string) error {
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	var futures []workflow.ChildWorkflowFuture
	for _, l := range locales {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: id + "/" + l})
		futures = append(futures, workflow.ExecuteChildWorkflow(cctx, emptyLocaleName))
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return err
		}
	}
	return workflow.ExecuteActivity(emptyOptions(ctx), emptyActivity).Get(ctx, nil)
}

// EmptyLocale is one locale of the empty tree.
func EmptyLocale(ctx workflow.Context) error {
	ready, approved := false, false
	if err := workflow.SetUpdateHandlerWithOptions(ctx, emptyApprove,
		func(ctx workflow.Context) error { approved = true; return nil },
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context) error {
			if !ready {
				return temporal.NewNonRetryableApplicationError("not in review yet", errNotReady, nil)
			}
			return nil
		}}); err != nil {
		return err
	}
	for range 2 {
		if err := workflow.ExecuteActivity(emptyOptions(ctx), emptyActivity).Get(ctx, nil); err != nil {
			return err
		}
	}
	ready = true
	return workflow.Await(ctx, func() bool { return approved })
}

func noop(context.Context) error { return nil }

const emptySideName = "empty tree"

// emptySide starts the empty tree's worker on its own task queue.
func (r *Runner) emptySide(cfg Config) (*side, error) {
	c := r.Svc.Temporal
	queue := cfg.Tag + "-empty"
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflowWithOptions(EmptyReport, workflow.RegisterOptions{Name: emptyReportName})
	w.RegisterWorkflowWithOptions(EmptyLocale, workflow.RegisterOptions{Name: emptyLocaleName})
	w.RegisterActivityWithOptions(noop, activity.RegisterOptions{Name: emptyActivity})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start the empty-tree worker: %w", err)
	}
	targets := Locales[:cfg.Targets]
	r.progressf("empty tree: %d reports × %d children on task queue %s (worker in this process)", cfg.Reports, cfg.Targets, queue)
	id := func(i int) string { return fmt.Sprintf("%s-empty/%04d", cfg.Tag, i) }
	return &side{
		name: emptySideName,
		one: func(ctx context.Context, i int) sample {
			return oneEmpty(ctx, c, cfg, queue, id(i), targets)
		},
		finish: func(ctx context.Context, samples []sample) (Histories, error) {
			var trees [][]string
			for i, s := range samples {
				if s.err == nil {
					tree := []string{id(i)}
					for _, l := range targets {
						tree = append(tree, id(i)+"/"+l)
					}
					trees = append(trees, tree)
				}
			}
			return countHistories(ctx, c, trees)
		},
		stop: w.Stop,
	}, nil
}

func oneEmpty(ctx context.Context, c client.Client, cfg Config, queue, id string, targets []string) sample {
	start := time.Now()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, emptyReportName, targets)
	if err != nil {
		return sample{err: err}
	}
	// A child is "in review" when its approve Update is accepted; the
	// validator refuses it until both activities are done.
	var wg sync.WaitGroup
	errs := make([]error, len(targets))
	lastReady := make([]time.Time, len(targets))
	for j, l := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
					WorkflowID: id + "/" + l, UpdateName: emptyApprove, WaitForStage: client.WorkflowUpdateStageCompleted,
				})
				if err == nil {
					err = h.Get(ctx, nil)
				}
				if err == nil {
					lastReady[j] = time.Now()
					return
				}
				var app *temporal.ApplicationError
				var nf *serviceerror.NotFound
				if !errors.As(err, &app) && !errors.As(err, &nf) {
					errs[j] = err
					return
				}
				if err := sleep(ctx, cfg.Poll); err != nil {
					errs[j] = fmt.Errorf("%s/%s never ready: %w", id, l, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return sample{err: err}
		}
	}
	last := lastReady[0]
	for _, t := range lastReady {
		if t.After(last) {
			last = t
		}
	}
	if err := run.Get(ctx, nil); err != nil {
		return sample{err: err}
	}
	return sample{toReview: last.Sub(start), toServed: time.Since(last)}
}
