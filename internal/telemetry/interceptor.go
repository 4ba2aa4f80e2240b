package telemetry

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/workflows"
)

// Reader reads a verified object; *store.Store is one.
type Reader interface {
	GetVerified(ctx context.Context, key, sha string) ([]byte, error)
}

// WorkerInterceptor feeds Pressroom's workflow metrics from a worker
// without touching workflow or activity code:
//   - review time, from the PressroomStage search attribute a locale
//     workflow sets (first in_review → approved), recorded only when not
//     replaying;
//   - publish duration and objects, from the Publish activity's result;
//   - memory lookups and quality findings, by reading the draft or the
//     findings an activity's result refers to (one small GET each).
func (m *Metrics) WorkerInterceptor(objects Reader, log *slog.Logger) interceptor.WorkerInterceptor {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &workerInterceptor{m: m, objects: objects, log: log}
}

type workerInterceptor struct {
	interceptor.WorkerInterceptorBase
	m       *Metrics
	objects Reader
	log     *slog.Logger
	// reads are the metrics' reads still running (tests wait for them).
	reads sync.WaitGroup
}

func (w *workerInterceptor) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &activityInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, w: w}
}

func (w *workerInterceptor) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &workflowInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, m: w.m}
}

type activityInbound struct {
	interceptor.ActivityInboundInterceptorBase
	w *workerInterceptor
}

func (a *activityInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	start := time.Now()
	res, err := a.Next.ExecuteActivity(ctx, in)
	if err != nil || res == nil {
		return res, err
	}
	a.w.observe(ctx, activity.GetInfo(ctx).ActivityType.Name, time.Since(start), res)
	return res, err
}

// The metrics are read from activity results by JSON field names, at any
// depth, so a result type that gains fields, regroups them or returns one
// entry per locale keeps feeding them:
//   - an object with "draft" (a Ref) and "provenance" is a translated draft;
//   - a "findings" Ref is a stored set of quality findings;
//   - the Publish activity's "objects" and "reused".
type publishResult struct {
	Objects int  `json:"objects"`
	Reused  bool `json:"reused"`
}

func (w *workerInterceptor) observe(ctx context.Context, activityType string, took time.Duration, res any) {
	b, err := json.Marshal(res)
	if err != nil || len(b) == 0 {
		return
	}
	if activityType == workflows.ActivityPublish {
		var r publishResult
		_ = json.Unmarshal(b, &r)
		w.m.publishSeconds.WithLabelValues().Observe(took.Seconds())
		w.m.publishObjects.WithLabelValues().Add(float64(r.Objects))
		w.m.releases.WithLabelValues(boolLabel(r.Reused)).Inc()
	}
	if w.objects == nil {
		return
	}
	var tree any
	if json.Unmarshal(b, &tree) != nil {
		return
	}
	var drafts, findings []workflows.Ref
	walkResult(tree, &drafts, &findings)
	if len(drafts)+len(findings) == 0 {
		return
	}
	// Off the activity's path, with a short budget of its own: metrics
	// never hold up or fail an activity (a report's drafts are several
	// reads, which would delay its tasks).
	w.reads.Add(1)
	go func() {
		defer w.reads.Done()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		for _, d := range drafts {
			w.countMemory(rctx, d)
		}
		for _, f := range findings {
			w.countFindings(rctx, f)
		}
	}()
}

// walkResult collects the draft and findings references in a decoded
// activity result.
func walkResult(v any, drafts, findings *[]workflows.Ref) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			walkResult(e, drafts, findings)
		}
	case map[string]any:
		if _, ok := v["provenance"]; ok {
			if r, ok := refOf(v["draft"]); ok {
				*drafts = append(*drafts, r)
			}
		}
		if r, ok := refOf(v["findings"]); ok {
			*findings = append(*findings, r)
		}
		for k, e := range v {
			if k != "draft" && k != "findings" {
				walkResult(e, drafts, findings)
			}
		}
	}
}

func refOf(v any) (workflows.Ref, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return workflows.Ref{}, false
	}
	key, _ := m["key"].(string)
	sha, _ := m["sha256"].(string)
	return workflows.Ref{Key: key, SHA256: sha}, key != ""
}

func (w *workerInterceptor) countMemory(ctx context.Context, ref workflows.Ref) {
	b, err := w.objects.GetVerified(ctx, ref.Key, ref.SHA256)
	if err != nil {
		w.log.Debug("metrics: read draft", "key", ref.Key, "error", err)
		return
	}
	var t report.Translation
	if json.Unmarshal(b, &t) != nil {
		return
	}
	var exact, fuzzy, miss int
	for _, s := range t.Segments {
		switch {
		case s.Provenance == "tm-exact":
			exact++
		case hasFuzzy(s.Suggestions):
			fuzzy++
		default:
			miss++
		}
	}
	w.m.memoryLookups.WithLabelValues("exact").Add(float64(exact))
	w.m.memoryLookups.WithLabelValues("fuzzy").Add(float64(fuzzy))
	w.m.memoryLookups.WithLabelValues("miss").Add(float64(miss))
}

func hasFuzzy(ss []report.Suggestion) bool {
	for _, s := range ss {
		if strings.HasPrefix(s.Provenance, "tm-fuzzy") {
			return true
		}
	}
	return false
}

func (w *workerInterceptor) countFindings(ctx context.Context, ref workflows.Ref) {
	b, err := w.objects.GetVerified(ctx, ref.Key, ref.SHA256)
	if err != nil {
		w.log.Debug("metrics: read findings", "key", ref.Key, "error", err)
		return
	}
	var fs []struct {
		Check    string `json:"check"`
		Severity string `json:"severity"`
	}
	if json.Unmarshal(b, &fs) != nil {
		return
	}
	for _, f := range fs {
		w.m.qaFindings.WithLabelValues(f.Check, f.Severity).Inc()
	}
}

func boolLabel(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

var (
	stageKey  = temporal.NewSearchAttributeKeyKeyword(workflows.SearchStage)
	localeKey = temporal.NewSearchAttributeKeyKeyword(workflows.SearchLocale)
)

// workflowInbound exists per workflow execution; it watches the stage a
// locale workflow publishes to visibility.
type workflowInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	m       *Metrics
	watcher *stageWatcher
}

func (wi *workflowInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	wi.watcher = &stageWatcher{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}, m: wi.m}
	return wi.Next.Init(wi.watcher)
}

// ExecuteWorkflow notes a workflow that starts in review (its parent set
// the stage when starting it).
func (wi *workflowInbound) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	wi.watcher.stageSet(ctx)
	return wi.Next.ExecuteWorkflow(ctx, in)
}

type stageWatcher struct {
	interceptor.WorkflowOutboundInterceptorBase
	m          *Metrics
	inReviewAt time.Time
	recorded   bool
}

func (s *stageWatcher) UpsertTypedSearchAttributes(ctx workflow.Context, attrs ...temporal.SearchAttributeUpdate) error {
	err := s.Next.UpsertTypedSearchAttributes(ctx, attrs...)
	if err == nil {
		s.stageSet(ctx)
	}
	return err
}

func (s *stageWatcher) UpsertTypedSearchAttributesWithOptions(ctx workflow.Context, attrs []temporal.SearchAttributeUpdate, opts workflow.UpsertSearchAttributesOptions) error {
	err := s.Next.UpsertTypedSearchAttributesWithOptions(ctx, attrs, opts)
	if err == nil {
		s.stageSet(ctx)
	}
	return err
}

// stageSet runs after every upsert. Its state is rebuilt deterministically
// on replay (workflow.Now is history time); the histogram is touched only
// when the approval happens live.
func (s *stageWatcher) stageSet(ctx workflow.Context) {
	if workflow.GetInfo(ctx).WorkflowType.Name != workflows.LocaleWorkflowName || s.recorded {
		return
	}
	sa := workflow.GetTypedSearchAttributes(ctx)
	stage, _ := sa.GetKeyword(stageKey)
	switch workflows.Stage(stage) {
	case workflows.StageInReview:
		if s.inReviewAt.IsZero() {
			s.inReviewAt = workflow.Now(ctx)
		}
	case workflows.StageApproved:
		if s.inReviewAt.IsZero() {
			return
		}
		s.recorded = true
		if !workflow.IsReplaying(ctx) {
			locale, _ := sa.GetKeyword(localeKey)
			s.m.reviewSeconds.WithLabelValues(locale).Observe(workflow.Now(ctx).Sub(s.inReviewAt).Seconds())
		}
	}
}
