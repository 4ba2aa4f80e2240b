package workflows_test

import (
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/pressroom/pressroom/workflows"
)

// The histories were recorded from the real dev server by `make
// histories` (integration/histories_test.go): every workflow type through
// happy path, edits, reject loop, approval gate, deadline escalation,
// cancel and failure. Replaying them with today's code proves a worker
// built from it can carry on every workflow started by the recorded one.
func historyFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("testdata/histories", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recorded histories in workflows/testdata/histories: run `make histories`")
	}
	return files
}

func replayer(t *testing.T, register func(worker.WorkflowReplayer)) worker.WorkflowReplayer {
	t.Helper()
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	register(r)
	return r
}

func registerPressroom(r worker.WorkflowReplayer) {
	r.RegisterWorkflowWithOptions(workflows.ReportWorkflow, workflow.RegisterOptions{Name: workflows.ReportWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.LocaleWorkflow, workflow.RegisterOptions{Name: workflows.LocaleWorkflowName})
}

func TestReplayRecordedHistories(t *testing.T) {
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	types := map[string]int{}
	for _, f := range historyFiles(t) {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "testdata/histories/"), ".json")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			h, err := client.HistoryFromJSON(strings.NewReader(string(b)), client.HistoryJSONOptions{})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			wfType := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetWorkflowType().GetName()
			types[wfType]++
			if err := replayer(t, registerPressroom).ReplayWorkflowHistory(logger, h); err != nil {
				t.Fatalf("%s no longer replays with this code: %v\n"+
					"A running workflow of the old code would fail the same way. Guard the change with "+
					"workflow.GetVersion (see README, Versioning), or, if no workflow of the old code can "+
					"still be running, record new histories with `make histories`.", f, err)
			}
		})
	}
	for _, want := range []string{workflows.ReportWorkflowName, workflows.LocaleWorkflowName} {
		if types[want] == 0 {
			t.Errorf("no recorded history of %s", want)
		}
	}
}

// The replay test can fail: a locale workflow that skips its steps does
// not replay a recorded locale history.
func TestReplayDetectsAChangedWorkflow(t *testing.T) {
	changed := func(ctx workflow.Context, in workflows.LocaleInput) (workflows.LocaleStatus, error) {
		return workflows.LocaleStatus{Locale: in.Locale}, nil
	}
	r := replayer(t, func(r worker.WorkflowReplayer) {
		r.RegisterWorkflowWithOptions(changed, workflow.RegisterOptions{Name: workflows.LocaleWorkflowName})
	})
	files, _ := filepath.Glob("testdata/histories/happy.LocaleWorkflow.*.json")
	if len(files) == 0 {
		t.Fatal("no recorded happy-path locale history: run `make histories`")
	}
	err := r.ReplayWorkflowHistoryFromJSONFile(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)), files[0])
	if err == nil {
		t.Fatal("a workflow that no longer schedules the recorded activities replayed without error")
	}
	t.Logf("as expected: %v", err)
}
