//go:build histories

package integration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/workflows"
)

// historiesDir is where the replay test in workflows/ finds them.
const historiesDir = "../workflows/testdata/histories"

// unsupported refuses every pair: the "failure" path, a permanent MT error.
type unsupported struct{}

func (unsupported) Name() string { return "unsupported" }
func (unsupported) Translate(_ context.Context, req mt.Request) ([]mt.Result, error) {
	return nil, &mt.UnsupportedPairError{Provider: "unsupported", Source: req.Source, Target: req.Target}
}

// TestRecordHistories drives every workflow type through its main paths
// on the real dev server with the real activities of the tree, and writes
// each workflow's history as JSON for workflows/replay_test.go. Run it
// with `make histories` after an intentional workflow change; it only
// uses the service API, so it records whatever workflow code is built.
func TestRecordHistories(t *testing.T) {
	queue := "pressroom-histories"
	router := mt.NewRouter(map[string][]mt.Provider{"ru": {unsupported{}}}, []mt.Provider{mt.Pseudo{}})
	w := app.NewWorker(env.client, queue, &activities.Activities{Store: env.store, Translator: router,
		Memories: &tmstore.Memories{Store: env.store}, QA: qa.DefaultConfig()})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	svc := &service.Service{Temporal: env.client, Store: env.store, TaskQueue: queue}

	if err := os.MkdirAll(historiesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Each scenario replaces its own top-level files (a workflow the new
	// code no longer starts leaves none behind); histories kept in
	// subfolders (an older release's) are left alone and still replayed.

	type scenario struct {
		name    string
		targets []string
		req     func(*service.SubmitRequest)
		drive   func(t *testing.T, ctx context.Context, slug string)
		// reportOnly: the report fails while drafting, before any locale
		// workflow starts, so only its own history exists.
		reportOnly bool
	}
	approve := func(t *testing.T, ctx context.Context, slug, locale, who string) {
		t.Helper()
		waitStage(t, ctx, svc, slug, locale, workflows.StageInReview)
		if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: who, Action: workflows.ActionApprove}); err != nil {
			t.Fatalf("approve %s: %v", locale, err)
		}
	}
	scenarios := []scenario{
		{name: "happy", targets: []string{"fr", "es"}, drive: func(t *testing.T, ctx context.Context, slug string) {
			approve(t, ctx, slug, "fr", "claire")
			approve(t, ctx, slug, "es", "sofia")
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "edits", targets: []string{"fr"}, drive: func(t *testing.T, ctx context.Context, slug string) {
			waitStage(t, ctx, svc, slug, "fr", workflows.StageInReview)
			if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "fr", Reviewer: "claire", Action: workflows.ActionEdit,
				Edits: map[string]string{"title": "Changement des horaires pour l'été"}}); err != nil {
				t.Fatalf("edit: %v", err)
			}
			if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "fr", Reviewer: "claire", Action: workflows.ActionEdit,
				Edits: map[string]string{"summary": "La salle de lecture ferme plus tôt en juillet et en août."}}); err != nil {
				t.Fatalf("second edit: %v", err)
			}
			approve(t, ctx, slug, "fr", "claire")
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "reject", targets: []string{"fr"}, drive: func(t *testing.T, ctx context.Context, slug string) {
			waitStage(t, ctx, svc, slug, "fr", workflows.StageInReview)
			if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "fr", Reviewer: "claire", Action: workflows.ActionReject,
				Comment: "use the UN glossary"}); err != nil {
				t.Fatalf("reject: %v", err)
			}
			waitRound(t, ctx, svc, slug, "fr", 2)
			approve(t, ctx, slug, "fr", "claire")
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "approval-gate", targets: []string{"fr"}, req: func(r *service.SubmitRequest) { r.RequireApproval = true }, drive: func(t *testing.T, ctx context.Context, slug string) {
			approve(t, ctx, slug, "fr", "claire")
			eventuallyCtx(t, ctx, "awaiting approval", func() error {
				st, err := svc.Status(ctx, slug)
				if err != nil || st.Stage != workflows.StageAwaitingApproval {
					return fmt.Errorf("stage %s %v", st.Stage, err)
				}
				return nil
			})
			if _, err := svc.Approve(ctx, slug, "edith"); err != nil {
				t.Fatalf("editor approve: %v", err)
			}
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "deadline", targets: []string{"fr"}, req: func(r *service.SubmitRequest) {
			r.Deadlines = []workflows.LocaleDeadline{{Deadline: workflows.Deadline{Within: 4 * time.Second, RemindBefore: 2 * time.Second}}}
		}, drive: func(t *testing.T, ctx context.Context, slug string) {
			eventuallyCtx(t, ctx, "escalated", func() error {
				ls, err := svc.LocaleStatus(ctx, slug, "fr")
				if err != nil || !ls.Escalated {
					return fmt.Errorf("not escalated yet (%v)", err)
				}
				return nil
			})
			approve(t, ctx, slug, "fr", "bernard") // anyone of the pool, after escalation
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "scheduled", targets: []string{"fr"}, req: func(r *service.SubmitRequest) { r.PublishAt = time.Now().Add(time.Hour) }, drive: func(t *testing.T, ctx context.Context, slug string) {
			approve(t, ctx, slug, "fr", "claire")
			eventuallyCtx(t, ctx, "scheduled", func() error {
				st, err := svc.Status(ctx, slug)
				if err != nil || st.Stage != workflows.StageScheduled {
					return fmt.Errorf("stage %s %v", st.Stage, err)
				}
				return nil
			})
			if _, err := svc.Schedule(ctx, slug, "edith", time.Now().Add(3*time.Second).UTC().Format(time.RFC3339)); err != nil {
				t.Fatalf("move the time: %v", err)
			}
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "per-locale", targets: []string{"fr", "es"}, req: func(r *service.SubmitRequest) { r.Policy = workflows.PolicyPerLocale }, drive: func(t *testing.T, ctx context.Context, slug string) {
			approve(t, ctx, slug, "fr", "claire")
			eventuallyCtx(t, ctx, "fr published", func() error {
				st, err := svc.Status(ctx, slug)
				if err != nil || st.Release == nil {
					return fmt.Errorf("no release yet %v", err)
				}
				return nil
			})
			approve(t, ctx, slug, "es", "sofia")
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "revision", targets: []string{"fr"}, drive: func(t *testing.T, ctx context.Context, slug string) {
			approve(t, ctx, slug, "fr", "claire")
			mustPublish(t, ctx, svc, slug)
			// The same text again: fr is unchanged and gets no task; the
			// report's history is the revision's.
			if _, err := svc.Submit(ctx, service.SubmitRequest{Name: slug + ".md", Data: []byte(notice), Options: report.Options{Slug: slug, Targets: []string{"fr"}}}); err != nil {
				t.Fatal(err)
			}
			mustPublish(t, ctx, svc, slug)
		}},
		{name: "cancel", targets: []string{"fr", "es"}, drive: func(t *testing.T, ctx context.Context, slug string) {
			waitStage(t, ctx, svc, slug, "fr", workflows.StageInReview)
			if err := svc.Cancel(ctx, slug); err != nil {
				t.Fatalf("cancel: %v", err)
			}
		}},
		{name: "failure", targets: []string{"fr", "ru"}, reportOnly: true, drive: func(t *testing.T, ctx context.Context, slug string) {
			if _, err := svc.Wait(ctx, slug); err == nil {
				t.Fatal("a report with an unsupported pair should fail")
			}
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			slug := "hist-" + sc.name
			stale, _ := filepath.Glob(filepath.Join(historiesDir, sc.name+".*.json"))
			for _, f := range stale {
				if err := os.Remove(f); err != nil {
					t.Fatal(err)
				}
			}
			req := service.SubmitRequest{Name: slug + ".md", Data: []byte(notice), Options: report.Options{Slug: slug, Targets: sc.targets}}
			for _, l := range sc.targets {
				if who, ok := map[string]string{"fr": "claire", "es": "sofia"}[l]; ok {
					req.Reviewers = append(req.Reviewers, workflows.Assignment{Locale: l, User: who})
				}
			}
			if sc.req != nil {
				sc.req(&req)
			}
			if _, err := svc.Submit(ctx, req); err != nil {
				t.Fatal(err)
			}
			sc.drive(t, ctx, slug)
			ids := map[string]string{workflows.ReportID(slug): sc.name + "." + workflows.ReportWorkflowName}
			for _, l := range sc.targets {
				if !sc.reportOnly {
					ids[workflows.LocaleID(slug, l)] = sc.name + "." + workflows.LocaleWorkflowName + "." + l
				}
			}
			for id, file := range ids {
				if !waitClosed(t, ctx, id) {
					// A child the report never started (it failed first).
					t.Logf("%s was never started; no history", id)
					continue
				}
				writeHistory(t, ctx, id, filepath.Join(historiesDir, file+".json"))
			}
		})
	}
}

func waitStage(t *testing.T, ctx context.Context, svc *service.Service, slug, locale string, stage workflows.Stage) {
	t.Helper()
	eventuallyCtx(t, ctx, locale+" "+string(stage), func() error {
		ls, err := svc.LocaleStatus(ctx, slug, locale)
		if err != nil || ls.Stage != stage {
			return fmt.Errorf("stage %s %v", ls.Stage, err)
		}
		return nil
	})
}

func waitRound(t *testing.T, ctx context.Context, svc *service.Service, slug, locale string, round int) {
	t.Helper()
	eventuallyCtx(t, ctx, fmt.Sprintf("%s round %d in review", locale, round), func() error {
		ls, err := svc.LocaleStatus(ctx, slug, locale)
		if err != nil || ls.Round < round || ls.Stage != workflows.StageInReview {
			return fmt.Errorf("round %d stage %s %v", ls.Round, ls.Stage, err)
		}
		return nil
	})
}

func mustPublish(t *testing.T, ctx context.Context, svc *service.Service, slug string) {
	t.Helper()
	if _, err := svc.Wait(ctx, slug); err != nil {
		t.Fatalf("publish %s: %v", slug, err)
	}
}

func eventuallyCtx(t *testing.T, ctx context.Context, what string, f func() error) {
	t.Helper()
	var err error
	for ctx.Err() == nil {
		if err = f(); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: %v", what, err)
}

// waitClosed waits for a workflow to end; false if it does not exist.
func waitClosed(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	exists := true
	eventuallyCtx(t, ctx, id+" closed", func() error {
		d, err := env.client.DescribeWorkflowExecution(ctx, id, "")
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			exists = false
			return nil
		}
		if err != nil {
			return err
		}
		if st := d.GetWorkflowExecutionInfo().GetStatus(); st == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return errors.New("still running")
		}
		return nil
	})
	return exists
}

// writeHistory saves a workflow's history in the JSON the SDK's replayer
// (and `temporal workflow show --output json`) reads.
func writeHistory(t *testing.T, ctx context.Context, id, path string) {
	t.Helper()
	it := env.client.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", id, err)
		}
		h.Events = append(h.Events, ev)
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d events → %s", id, len(h.Events), strings.TrimPrefix(path, "../"))
}
