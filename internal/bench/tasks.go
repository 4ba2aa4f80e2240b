package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

// MaxTasks bounds the task-list phase.
const MaxTasks = 20_000

// taskListSamples is how many times each task list is fetched, in
// rounds of taskListSamples/taskListRounds.
const (
	taskListSamples = 15
	taskListRounds  = 3
)

// TaskList is what the task-list phase measured: one translator's
// GET /api/tasks with Tasks tasks in review, beside a translator of
// another locale with none of them (the baseline: the cost of the call
// itself), on the same server at the same moment.
type TaskList struct {
	Tasks        int         `json:"tasks"`
	StartSeconds float64     `json:"start_seconds"` // starting the parked workflows
	Listed       int         `json:"listed"`        // tasks the busy translator's list returned
	Busy         Percentiles `json:"busy_ms"`       // GET /api/tasks, the translator with every task
	BusyPage     Percentiles `json:"busy_page_ms"`  // the same, first page of 100
	Idle         Percentiles `json:"idle_ms"`       // GET /api/tasks, a translator with none
}

// runTasks parks cfg.Tasks locale workflows in review for one translator
// (each started with its first draft given, so it runs no activity and
// waits at once), times the task lists, and terminates them.
func (r *Runner) runTasks(ctx context.Context, cfg Config) (*TaskList, error) {
	const locale, otherLocale = "fr", "ar"
	users := &auth.Users{}
	busyName, idleName := cfg.Tag+"-tasks-fr", cfg.Tag+"-tasks-ar"
	busyTok, err := users.Add(busyName, auth.RoleTranslator, []string{locale})
	if err != nil {
		return nil, err
	}
	idleTok, err := users.Add(idleName, auth.RoleTranslator, []string{otherLocale})
	if err != nil {
		return nil, err
	}
	base, stop, err := serve(r.Svc, users)
	if err != nil {
		return nil, err
	}
	defer stop()

	c := r.Svc.Temporal
	id := func(i int) string { return workflows.LocaleID(fmt.Sprintf("%s-task-%05d", cfg.Tag, i), locale) }
	r.progressf("task list: starting %d locale workflows in review for %s (queue %s)", cfg.Tasks, busyName, r.Svc.TaskQueue)
	start := time.Now()
	defer r.terminate(context.WithoutCancel(ctx), c, cfg, id)
	var next, started atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range 4 * cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= cfg.Tasks || ctx.Err() != nil {
					return
				}
				slug := fmt.Sprintf("%s-task-%05d", cfg.Tag, i)
				_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
					ID: id(i), TaskQueue: r.Svc.TaskQueue,
					TypedSearchAttributes: temporal.NewSearchAttributes(
						temporal.NewSearchAttributeKeyKeyword(workflows.SearchStage).ValueSet(string(workflows.StageInReview)),
						temporal.NewSearchAttributeKeyKeyword(workflows.SearchSlug).ValueSet(slug),
						temporal.NewSearchAttributeKeyKeyword(workflows.SearchLocale).ValueSet(locale),
						temporal.NewSearchAttributeKeyKeyword(workflows.SearchAssignee).ValueSet(busyName)),
				}, workflows.LocaleWorkflowName, workflows.LocaleInput{
					Slug: slug, SourceLocale: "en", Locale: locale, Assignee: busyName,
					Source: workflows.Ref{Key: "bench/none", SHA256: strings.Repeat("0", 64)},
					First: &workflows.TranslateOutput{Locale: locale, Segments: 1,
						Draft: workflows.Ref{Key: "bench/none", SHA256: strings.Repeat("0", 64)}},
				})
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("start %s: %w", id(i), err) })
					return
				}
				if n := started.Add(1); n%1000 == 0 {
					r.progressf("  task list: %d/%d started, %.0fs", n, cfg.Tasks, time.Since(start).Seconds())
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	out := &TaskList{Tasks: cfg.Tasks, StartSeconds: time.Since(start).Seconds()}

	busy := apiClient{base: base, token: busyTok, http: &http.Client{Timeout: time.Minute}}
	idle := apiClient{base: base, token: idleTok, http: busy.http}
	// Visibility is eventually consistent: wait until the list has them all.
	for {
		var tasks []service.Task
		if _, err := busy.do(ctx, "GET", "/api/tasks", "", nil, &tasks); err != nil {
			return nil, err
		}
		if out.Listed = len(tasks); out.Listed >= cfg.Tasks {
			break
		}
		r.progressf("  task list: %d of %d visible", out.Listed, cfg.Tasks)
		if err := sleep(ctx, time.Second); err != nil {
			return nil, fmt.Errorf("task list: %d of %d tasks visible when the time ran out", out.Listed, cfg.Tasks)
		}
	}
	// Interleaved rounds, so both lists meet the same load.
	var busyAll, pageAll, idleAll []time.Duration
	for range taskListRounds {
		for _, m := range []struct {
			a    apiClient
			path string
			into *[]time.Duration
		}{{busy, "/api/tasks", &busyAll}, {busy, "/api/tasks?page_size=100", &pageAll}, {idle, "/api/tasks", &idleAll}} {
			for range taskListSamples / taskListRounds {
				t := time.Now()
				if _, err := m.a.do(ctx, "GET", m.path, "", nil, nil); err != nil {
					return nil, err
				}
				*m.into = append(*m.into, time.Since(t))
			}
		}
	}
	out.Busy, out.BusyPage, out.Idle = percentiles(busyAll), percentiles(pageAll), percentiles(idleAll)
	return out, nil
}

// terminate ends the parked task workflows (best effort, all of them).
func (r *Runner) terminate(ctx context.Context, c client.Client, cfg Config, id func(int) string) {
	r.progressf("task list: terminating the %d parked workflows", cfg.Tasks)
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 4 * cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= cfg.Tasks {
					return
				}
				_ = c.TerminateWorkflow(ctx, id(i), "", "pressroom bench: task list measured")
			}
		}()
	}
	wg.Wait()
}
