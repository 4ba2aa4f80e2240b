// Package bench measures Pressroom end to end on a running stack and, in
// the same run on the same Temporal server, an empty workflow tree of the
// same shape: what orchestration alone costs. `pressroom bench` runs it.
//
// The Pressroom phase goes through the HTTP API as people do: an editor
// submits, scripted translators wait for their tasks in the task list and
// approve them, and the reader site is polled until every page is served.
// The API and the reader site are served by the bench itself on a
// loopback port (the same handlers as `pressroom serve`), so it can make
// its own users without touching anyone's users file; the Temporal server,
// the object store and the worker are the stack's.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/web"
)

// Limits keep a bench run bounded.
const (
	MaxReports     = 10_000
	MaxTargets     = 12
	MaxParagraphs  = 1_000
	MaxConcurrency = 256
)

// Locales are the targets, in order: the five UN languages after English
// first, then more.
var Locales = []string{"ar", "zh-Hans", "fr", "ru", "es", "de", "it", "ja", "pt", "ko", "tr", "nl"}

// Config says what to run.
type Config struct {
	Reports     int           `json:"reports"`
	Targets     int           `json:"targets"`
	Paragraphs  int           `json:"paragraphs"`
	Concurrency int           `json:"concurrency"`
	Poll        time.Duration `json:"poll_ns"`
	// Timeout bounds one report from submit to its last page served.
	Timeout time.Duration `json:"timeout_ns"`
	// SkipEmpty leaves out the empty-tree baseline.
	SkipEmpty bool `json:"skip_empty,omitempty"`
	// Park stops each report once its tasks are in review, nobody
	// approving: for measuring what parked reviews cost (worker memory).
	// It implies SkipEmpty.
	Park bool `json:"park,omitempty"`
	// OnlyEmpty runs the empty tree alone: it needs only the Temporal
	// server (to compare servers or their settings).
	OnlyEmpty bool `json:"only_empty,omitempty"`
	// Tasks, when not 0, runs the task-list phase instead: that many
	// locale workflows parked in review for one translator, and the time
	// of that translator's GET /api/tasks.
	Tasks int `json:"tasks,omitempty"`
	// TaskPage is the page_size the task-list phase follows the whole
	// list with (0: service.MaxTaskPage).
	TaskPage int `json:"task_page_size,omitempty"`
	// Block is how many reports of one side run before the other side
	// runs as many: the empty tree and Pressroom alternate, so both meet
	// the same load on a shared machine. 0 runs all of the empty tree,
	// then all of Pressroom.
	Block int `json:"block"`
	// Tag prefixes every slug, user and workflow ID the run makes.
	Tag string `json:"tag"`
}

// Validate refuses a configuration outside the limits.
func (c Config) Validate() error {
	var errs []error
	check := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, fmt.Errorf("--%s %d: want %d to %d", name, v, lo, hi))
		}
	}
	check("reports", c.Reports, 1, MaxReports)
	check("targets", c.Targets, 1, MaxTargets)
	check("paragraphs", c.Paragraphs, 1, MaxParagraphs)
	check("concurrency", c.Concurrency, 1, MaxConcurrency)
	check("block", c.Block, 0, MaxReports)
	check("tasks", c.Tasks, 0, MaxTasks)
	check("task-page-size", c.TaskPage, 0, service.MaxTaskPage)
	if c.Poll <= 0 || c.Timeout <= 0 {
		errs = append(errs, errors.New("poll interval and timeout must be positive"))
	}
	return errors.Join(errs...)
}

// Figures are the measurements of one phase.
type Figures struct {
	Completed     int     `json:"completed"`
	Failed        int     `json:"failed"`
	Seconds       float64 `json:"seconds"`
	ReportsPerSec float64 `json:"reports_per_sec"`
	// Submit → every task in review, and last approval → every page
	// served (the empty tree: → the report workflow completed), in ms.
	ToReview  Percentiles `json:"submit_to_review_ms"`
	ToServed  Percentiles `json:"approval_to_served_ms"`
	Histories Histories   `json:"histories"`
	Errors    []string    `json:"errors,omitempty"` // the first few
}

// Percentiles of a set of durations, in milliseconds.
type Percentiles struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
}

// Histories counts history events and workflow tasks per report: the
// report workflow and its children, averaged over the sampled reports.
type Histories struct {
	Sampled         int     `json:"sampled"`
	EventsPerReport float64 `json:"events_per_report"`
	TasksPerReport  float64 `json:"workflow_tasks_per_report"`
	ReportEvents    float64 `json:"report_workflow_events"`
	ChildEvents     float64 `json:"child_workflow_events"` // per child
}

// Result is a whole run.
type Result struct {
	Config    Config   `json:"config"`
	Pressroom Figures  `json:"pressroom,omitzero"`
	EmptyTree *Figures `json:"empty_tree,omitempty"`
	// Ratio is Pressroom's reports/s over the empty tree's.
	Ratio float64 `json:"throughput_ratio,omitempty"`
	// TaskList is the task-list phase's, when it ran.
	TaskList *TaskList `json:"task_list,omitempty"`
}

// Runner runs a benchmark against a stack.
type Runner struct {
	Svc      *service.Service // the stack: Temporal, the object store, the task queue its worker serves
	Progress io.Writer        // progress lines; nil for none
}

// side is one of the two things measured: its reports, run one by one,
// and what is counted once they are all done.
type side struct {
	name    string
	one     func(ctx context.Context, i int) sample
	samples []sample
	took    time.Duration
	// finish counts the histories of the completed reports.
	finish func(ctx context.Context, samples []sample) (Histories, error)
	stop   func()
}

// Run runs the empty tree and Pressroom in alternating blocks of reports
// (Config.Block; the empty tree first) and returns both. Each side's
// reports/s is its completed reports over the time its own blocks took.
func (r *Runner) Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	res := Result{Config: cfg}
	if cfg.Tasks > 0 {
		var err error
		res.TaskList, err = r.runTasks(ctx, cfg)
		return res, err
	}
	var sides []*side
	if !cfg.SkipEmpty && !cfg.Park {
		s, err := r.emptySide(cfg)
		if err != nil {
			return res, fmt.Errorf("empty tree: %w", err)
		}
		defer s.stop()
		sides = append(sides, s)
	}
	if !cfg.OnlyEmpty {
		s, err := r.pressroomSide(cfg)
		if err != nil {
			return res, fmt.Errorf("pressroom: %w", err)
		}
		defer s.stop()
		sides = append(sides, s)
	}
	block := cfg.Block
	if block <= 0 {
		block = cfg.Reports
	}
	for from := 0; from < cfg.Reports; from += block {
		to := min(from+block, cfg.Reports)
		for _, s := range sides {
			if s.samples == nil {
				s.samples = make([]sample, cfg.Reports)
			}
			s.took += r.drive(ctx, s.name, cfg, s.samples[from:to], from, s.one)
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
	for _, s := range sides {
		f := summarize(s.samples, s.took)
		var err error
		if f.Histories, err = s.finish(ctx, s.samples); err != nil {
			return res, fmt.Errorf("%s: %w", s.name, err)
		}
		if s.name == emptySideName {
			res.EmptyTree = &f
		} else {
			res.Pressroom = f
		}
	}
	if cfg.Park {
		r.progressf("parked: %d reports wait in review (tag %s); cancel them with pressroom's cancel API or leave them", res.Pressroom.Completed, cfg.Tag)
	}
	if res.EmptyTree != nil && res.EmptyTree.ReportsPerSec > 0 && !cfg.OnlyEmpty {
		res.Ratio = res.Pressroom.ReportsPerSec / res.EmptyTree.ReportsPerSec
	}
	return res, nil
}

func (r *Runner) progressf(format string, args ...any) {
	if r.Progress != nil {
		fmt.Fprintf(r.Progress, format+"\n", args...)
	}
}

// one report's measurements
type sample struct {
	toReview, toServed time.Duration
	err                error
}

// drive runs reports from, from+1, … (one per element of samples) through
// fn with the configured concurrency, reports progress every second, and
// returns how long they took.
func (r *Runner) drive(ctx context.Context, phase string, cfg Config, samples []sample, from int, fn func(ctx context.Context, i int) sample) time.Duration {
	var next, done atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range min(cfg.Concurrency, len(samples)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(samples) || ctx.Err() != nil {
					return
				}
				rctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
				samples[i] = fn(rctx, from+i)
				cancel()
				done.Add(1)
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				r.progressf("  %s: %d/%d reports done, %.0fs", phase, from+int(done.Load()), cfg.Reports, time.Since(start).Seconds())
			}
		}
	}()
	wg.Wait()
	close(stop)
	return time.Since(start)
}

func summarize(samples []sample, took time.Duration) Figures {
	var f Figures
	var review, served []time.Duration
	for _, s := range samples {
		if s.err != nil {
			f.Failed++
			if len(f.Errors) < 5 {
				f.Errors = append(f.Errors, s.err.Error())
			}
			continue
		}
		f.Completed++
		review, served = append(review, s.toReview), append(served, s.toServed)
	}
	f.Seconds = took.Seconds()
	if f.Seconds > 0 {
		f.ReportsPerSec = float64(f.Completed) / f.Seconds
	}
	f.ToReview, f.ToServed = percentiles(review), percentiles(served)
	return f
}

// percentiles by nearest rank.
func percentiles(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	slices.Sort(ds)
	at := func(p float64) float64 {
		i := int(p*float64(len(ds))+0.999999) - 1
		i = min(max(i, 0), len(ds)-1)
		return float64(ds[i].Microseconds()) / 1000
	}
	return Percentiles{P50: at(0.50), P95: at(0.95), P99: at(0.99)}
}

// countHistories reads the histories of up to maxSampled reports (spread
// over the run): events and workflow tasks of the report and its children.
func countHistories(ctx context.Context, c client.Client, ids [][]string) (Histories, error) {
	const maxSampled = 20
	var h Histories
	step := max(1, len(ids)/maxSampled)
	var events, tasks, parent, children, nChildren int
	for i := 0; i < len(ids) && h.Sampled < maxSampled; i += step {
		for j, id := range ids[i] {
			e, t, err := historyOf(ctx, c, id)
			if err != nil {
				return h, err
			}
			events, tasks = events+e, tasks+t
			if j == 0 {
				parent += e
			} else {
				children += e
				nChildren++
			}
		}
		h.Sampled++
	}
	if h.Sampled > 0 {
		h.EventsPerReport = float64(events) / float64(h.Sampled)
		h.TasksPerReport = float64(tasks) / float64(h.Sampled)
		h.ReportEvents = float64(parent) / float64(h.Sampled)
	}
	if nChildren > 0 {
		h.ChildEvents = float64(children) / float64(nChildren)
	}
	return h, nil
}

// historyOf counts a workflow's events and its workflow tasks (each task
// that ran has a WorkflowTaskStarted event).
func historyOf(ctx context.Context, c client.Client, id string) (events, tasks int, err error) {
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return 0, 0, fmt.Errorf("history of %s: %w", id, err)
		}
		events++
		if e.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED {
			tasks++
		}
	}
	return events, tasks, nil
}

// serve starts the API and the reader site on a loopback port.
func serve(svc *service.Service, users *auth.Users, workbench ...http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: web.Routes(svc.Store, &web.API{Svc: svc, Users: users}, workbench...), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}
