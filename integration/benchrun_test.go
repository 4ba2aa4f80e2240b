package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/pressroom/pressroom/internal/bench"
	"github.com/pressroom/pressroom/workflows"
)

// pressroom bench on the real stack, kept tiny: both sides complete every
// report, alternate in blocks, and count their histories; Pressroom's
// reports are published and served.
func TestBenchRunsBothSides(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	svc := inProcessWorker(t, "it-bench")
	tag := fmt.Sprintf("bench-it%d", time.Now().UnixNano()%1_000_000)
	cfg := bench.Config{Reports: 3, Targets: 2, Paragraphs: 2, Concurrency: 2, Block: 1,
		Poll: 50 * time.Millisecond, Timeout: 2 * time.Minute, Tag: tag}
	res, err := (&bench.Runner{Svc: svc}).Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.EmptyTree == nil {
		t.Fatal("no empty-tree figures")
	}
	for name, f := range map[string]bench.Figures{"pressroom": res.Pressroom, "empty tree": *res.EmptyTree} {
		if f.Completed != 3 || f.Failed != 0 {
			t.Errorf("%s: %d completed, %d failed: %v", name, f.Completed, f.Failed, f.Errors)
		}
		if f.ReportsPerSec <= 0 || f.Histories.Sampled != 3 || f.Histories.TasksPerReport <= 0 {
			t.Errorf("%s: figures %+v", name, f)
		}
		// A parent and two children, each at least started and completed.
		if f.Histories.EventsPerReport < 3*4 || f.Histories.ChildEvents < 4 {
			t.Errorf("%s: %.1f events per report, %.1f per child", name, f.Histories.EventsPerReport, f.Histories.ChildEvents)
		}
	}
	if res.Ratio <= 0 {
		t.Errorf("ratio %v", res.Ratio)
	}
	// The bench counts a report done when the reader site serves its
	// pages, which is just before its Publish activity returns.
	eventually(t, time.Minute, "the last bench report published", func() error {
		st, err := svc.Status(ctx, tag+"-0002")
		if err != nil {
			return err
		}
		if st.Stage != workflows.StagePublished {
			return fmt.Errorf("stage %s", st.Stage)
		}
		return nil
	})
}

// The task-list phase lists every parked task and ends them after.
func TestBenchTaskList(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	svc := inProcessWorker(t, "it-bench-tasks")
	tag := fmt.Sprintf("bench-it%d", time.Now().UnixNano()%1_000_000)
	cfg := bench.Config{Reports: 1, Targets: 1, Paragraphs: 1, Concurrency: 2, Tasks: 30, TaskPage: 7,
		Poll: 50 * time.Millisecond, Timeout: time.Minute, Tag: tag}
	res, err := (&bench.Runner{Svc: svc}).Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tl := res.TaskList
	// Every task once (the bench refuses a task listed twice), in pages
	// of 7; the default answer is the first page, all 30 here.
	if tl == nil || tl.Tasks != 30 || tl.Listed != 30 || tl.Pages != 5 || tl.FirstPage != 30 {
		t.Fatalf("task list %+v", tl)
	}
	// The workbench shows all 30 on its first page (of 50).
	if tl.WorkbenchRows != 30 {
		t.Errorf("the workbench's first page shows %d tasks, want 30", tl.WorkbenchRows)
	}
	if tl.Busy.P50 <= 0 || tl.BusyAll.P50 <= 0 || tl.Idle.P50 <= 0 || tl.WorkbenchBusy.P50 <= 0 || tl.WorkbenchIdle.P50 <= 0 {
		t.Errorf("timings %+v", tl)
	}
	// Nothing of the run is left running.
	q := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running' AND %s STARTS_WITH '%s-task-'", workflows.LocaleWorkflowName, workflows.SearchSlug, tag)
	eventually(t, time.Minute, "the parked task workflows terminated", func() error {
		resp, err := env.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: q})
		if err != nil {
			return err
		}
		if n := resp.GetCount(); n != 0 {
			return fmt.Errorf("%d still running", n)
		}
		return nil
	})
}
