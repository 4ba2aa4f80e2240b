package bench

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/workbench"
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
// GET /api/tasks with Tasks tasks in review — its default answer (the
// first page) and the whole list following every page — beside a
// translator of another locale with none of them (the baseline: the cost
// of the call itself), on the same server at the same moment.
type TaskList struct {
	Tasks        int         `json:"tasks"`
	StartSeconds float64     `json:"start_seconds"` // starting the parked workflows
	FirstPage    int         `json:"first_page"`    // tasks on the busy translator's first page
	Listed       int         `json:"listed"`        // tasks on all the busy translator's pages
	Pages        int         `json:"pages"`         // pages of PageSize the whole list took
	PageSize     int         `json:"page_size"`     // the page_size the whole list was followed with
	Busy         Percentiles `json:"busy_ms"`       // GET /api/tasks (its first page), the translator with every task
	BusyAll      Percentiles `json:"busy_all_ms"`   // the whole list, every page of PageSize one after the other
	Idle         Percentiles `json:"idle_ms"`       // GET /api/tasks, a translator with none
	// The workbench's "My tasks" (its first page of workbench.TaskListPage
	// rows, each asking its workflow for its status), the same two
	// translators signed in.
	WorkbenchRows int         `json:"workbench_rows"` // tasks on the busy translator's first page
	WorkbenchBusy Percentiles `json:"workbench_busy_ms"`
	WorkbenchIdle Percentiles `json:"workbench_idle_ms"`
}

// allTasks follows every page of a task list and returns how many tasks
// and pages it held; a task listed twice is an error.
func allTasks(ctx context.Context, a apiClient, pageSize int) (tasks, pages int, err error) {
	seen := map[string]bool{}
	token := ""
	for {
		q := url.Values{"page_size": {strconv.Itoa(pageSize)}}
		if token != "" {
			q.Set("page_token", token)
		}
		var page []service.Task
		_, h, err := a.send(ctx, "GET", "/api/tasks?"+q.Encode(), "", nil, &page)
		if err != nil {
			return 0, pages, err
		}
		pages++
		for _, t := range page {
			if seen[t.ID] {
				return 0, pages, fmt.Errorf("task list: %s listed twice (page %d)", t.ID, pages)
			}
			seen[t.ID] = true
		}
		if token = h.Get("Next-Page-Token"); token == "" {
			return len(seen), pages, nil
		}
	}
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
	password := rand.Text()
	for _, name := range []string{busyName, idleName} {
		if err := users.SetPassword(name, password); err != nil {
			return nil, err
		}
	}
	wb := workbench.New(r.Svc, users, slog.New(slog.DiscardHandler))
	base, stop, err := serve(r.Svc, users, wb.Handler())
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
	pageSize := cmp.Or(cfg.TaskPage, service.MaxTaskPage)
	out.PageSize = pageSize
	// Visibility is eventually consistent: wait until the list has them all.
	for {
		var err error
		if out.Listed, out.Pages, err = allTasks(ctx, busy, pageSize); err != nil {
			return nil, err
		}
		if out.Listed >= cfg.Tasks {
			break
		}
		r.progressf("  task list: %d of %d visible", out.Listed, cfg.Tasks)
		if err := sleep(ctx, time.Second); err != nil {
			return nil, fmt.Errorf("task list: %d of %d tasks visible when the time ran out", out.Listed, cfg.Tasks)
		}
	}
	var first []service.Task
	if _, err := busy.do(ctx, "GET", "/api/tasks", "", nil, &first); err != nil {
		return nil, err
	}
	out.FirstPage = len(first)
	busyWB, err := signIn(ctx, base, busyName, password)
	if err != nil {
		return nil, err
	}
	idleWB, err := signIn(ctx, base, idleName, password)
	if err != nil {
		return nil, err
	}
	page, err := busyWB.tasksPage(ctx)
	if err != nil {
		return nil, err
	}
	out.WorkbenchRows = strings.Count(page, `href="/workbench/tasks/`) // each row's link to its task
	// Interleaved rounds, so every list meets the same load.
	var busyAll, wholeAll, idleAll, wbBusy, wbIdle []time.Duration
	for round := range taskListRounds {
		r.progressf("  task list: timing round %d of %d", round+1, taskListRounds)
		for _, m := range []struct {
			get  func() error
			into *[]time.Duration
		}{
			{func() error { _, err := busy.do(ctx, "GET", "/api/tasks", "", nil, nil); return err }, &busyAll},
			{func() error { _, _, err := allTasks(ctx, busy, pageSize); return err }, &wholeAll},
			{func() error { _, err := idle.do(ctx, "GET", "/api/tasks", "", nil, nil); return err }, &idleAll},
			{func() error { _, err := busyWB.tasksPage(ctx); return err }, &wbBusy},
			{func() error { _, err := idleWB.tasksPage(ctx); return err }, &wbIdle},
		} {
			for range taskListSamples / taskListRounds {
				t := time.Now()
				if err := m.get(); err != nil {
					return nil, err
				}
				*m.into = append(*m.into, time.Since(t))
			}
		}
	}
	out.Busy, out.BusyAll, out.Idle = percentiles(busyAll), percentiles(wholeAll), percentiles(idleAll)
	out.WorkbenchBusy, out.WorkbenchIdle = percentiles(wbBusy), percentiles(wbIdle)
	return out, nil
}

// workbenchClient is a browser's session in the workbench (its cookie).
type workbenchClient struct {
	base string
	http *http.Client
}

// signIn signs a user in to the workbench as its form does.
func signIn(ctx context.Context, base, name, password string) (workbenchClient, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return workbenchClient{}, err
	}
	c := workbenchClient{base: base, http: &http.Client{Jar: jar, Timeout: time.Minute}}
	form := url.Values{"username": {name}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/workbench/signin", strings.NewReader(form.Encode()))
	if err != nil {
		return c, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return c, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/workbench/tasks" {
		return c, fmt.Errorf("workbench sign-in of %s: %d at %s", name, resp.StatusCode, resp.Request.URL.Path)
	}
	return c, nil
}

// tasksPage fetches "My tasks".
func (c workbenchClient) tasksPage(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+"/workbench/tasks", nil)
	if err != nil {
		return "", err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err == nil && (resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/workbench/tasks") {
		err = fmt.Errorf("GET /workbench/tasks: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	return string(b), err
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
