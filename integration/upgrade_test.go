package integration

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/workflows"
)

// Build B of the locale workflow: it adds a step (a short settling timer
// before the task is drafted) behind workflow.GetVersion, as the README's
// versioning policy asks. localeUnguarded makes the same change without
// the patch.
const settlePatch = "settle-before-draft"

func localeBuildB(ctx workflow.Context, in workflows.LocaleInput) (workflows.LocaleStatus, error) {
	if workflow.GetVersion(ctx, settlePatch, workflow.DefaultVersion, 1) == 1 {
		if err := workflow.Sleep(ctx, 10*time.Millisecond); err != nil {
			return workflows.LocaleStatus{}, err
		}
	}
	return workflows.LocaleWorkflow(ctx, in)
}

func localeUnguarded(ctx workflow.Context, in workflows.LocaleInput) (workflows.LocaleStatus, error) {
	if err := workflow.Sleep(ctx, 10*time.Millisecond); err != nil {
		return workflows.LocaleStatus{}, err
	}
	return workflows.LocaleWorkflow(ctx, in)
}

// A review in flight on build A (today's code) survives the upgrade to
// build B: B replays A's history, the reviewer approves on B, the report
// publishes; a report started on B takes the new step. The same change
// without the patch cannot replay A's history.
func TestReviewSurvivesWorkerUpgrade(t *testing.T) {
	queue := "pressroom-upgrade"
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	acts := &activities.Activities{Store: env.store, Translator: mt.NewRouter(nil, []mt.Provider{mt.Pseudo{}}),
		Memories: &tmstore.Memories{Store: env.store}, QA: qa.DefaultConfig()}
	svc := &service.Service{Temporal: env.client, Store: env.store, TaskQueue: queue}

	buildA := app.NewWorker(env.client, queue, acts)
	if err := buildA.Start(); err != nil {
		t.Fatal(err)
	}
	submit := func(slug string) {
		t.Helper()
		if _, err := svc.Submit(ctx, service.SubmitRequest{Name: slug + ".md", Data: []byte(notice),
			Options: report.Options{Slug: slug, Targets: []string{"fr"}}, Reviewers: []workflows.Assignment{{Locale: "fr", User: "claire"}}}); err != nil {
			t.Fatal(err)
		}
		waitInReview(t, slug, "fr")
	}
	submit("upgrade-inflight")
	buildA.Stop() // the deployment: A's workers go away with the review open

	inflight := localeHistory(t, ctx, "upgrade-inflight")
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	replay := func(fn any) error {
		r := worker.NewWorkflowReplayer()
		r.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: workflows.LocaleWorkflowName})
		return r.ReplayWorkflowHistory(logger, inflight)
	}
	if err := replay(localeUnguarded); err == nil {
		t.Fatal("the unguarded change replayed the in-flight history: the test proves nothing")
	} else if !strings.Contains(err.Error(), "nondeterministic") && !strings.Contains(err.Error(), "TMPRL1100") {
		t.Fatalf("unguarded change: want a nondeterminism error, got %v", err)
	}
	if err := replay(localeBuildB); err != nil {
		t.Fatalf("build B cannot replay the in-flight review: %v", err)
	}

	buildB := worker.New(env.client, queue, worker.Options{})
	buildB.RegisterWorkflowWithOptions(workflows.ReportWorkflow, workflow.RegisterOptions{Name: workflows.ReportWorkflowName})
	buildB.RegisterWorkflowWithOptions(localeBuildB, workflow.RegisterOptions{Name: workflows.LocaleWorkflowName})
	app.RegisterActivities(buildB, acts)
	if err := buildB.Start(); err != nil {
		t.Fatal(err)
	}
	defer buildB.Stop()

	// The first task after the upgrade may wait out A's sticky queue
	// before the server hands it to B, which replays the history.
	waitInReview(t, "upgrade-inflight", "fr")
	if _, err := svc.Review(ctx, service.ReviewRequest{Slug: "upgrade-inflight", Locale: "fr", Reviewer: "claire", Action: workflows.ActionApprove}); err != nil {
		t.Fatalf("approve on build B: %v", err)
	}
	if _, err := svc.Wait(ctx, "upgrade-inflight"); err != nil {
		t.Fatalf("in-flight report after the upgrade: %v", err)
	}
	if hasPatchMarker(localeHistory(t, ctx, "upgrade-inflight")) {
		t.Fatal("the in-flight review took build B's new step: it must keep A's path")
	}

	submit("upgrade-new")
	if !hasPatchMarker(localeHistory(t, ctx, "upgrade-new")) {
		t.Fatal("a review started on build B should take the new step (version marker in its history)")
	}
	if _, err := svc.Review(ctx, service.ReviewRequest{Slug: "upgrade-new", Locale: "fr", Reviewer: "claire", Action: workflows.ActionApprove}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Wait(ctx, "upgrade-new"); err != nil {
		t.Fatal(err)
	}
}

func localeHistory(t *testing.T, ctx context.Context, slug string) *historypb.History {
	t.Helper()
	it := env.client.GetWorkflowHistory(ctx, workflows.LocaleID(slug, "fr"), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}

func hasPatchMarker(h *historypb.History) bool {
	for _, ev := range h.GetEvents() {
		if a := ev.GetMarkerRecordedEventAttributes(); a != nil && a.GetMarkerName() == "Version" {
			if strings.Contains(string(a.GetDetails()["change-id"].String()), settlePatch) {
				return true
			}
		}
	}
	return false
}
