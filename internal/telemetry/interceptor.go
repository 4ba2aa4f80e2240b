package telemetry

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
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

// activityResult is the shape of the results the metrics are read from,
// decoded by JSON field names so a result type that gains or regroups
// fields keeps feeding them.
type activityResult struct {
	Draft      *workflows.Ref `json:"draft"`
	Provenance map[string]int `json:"provenance"`
	Findings   *workflows.Ref `json:"findings"`
	Checks     *struct {
		Findings *workflows.Ref `json:"findings"`
	} `json:"checks"`
	Objects int  `json:"objects"`
	Reused  bool `json:"reused"`
}

func (w *workerInterceptor) observe(ctx context.Context, activityType string, took time.Duration, res any) {
	b, err := json.Marshal(res)
	if err != nil || len(b) == 0 {
		return
	}
	// TranslateReport returns one draft per locale: each counts.
	if b[0] == '[' {
		var each []json.RawMessage
		if json.Unmarshal(b, &each) == nil {
			for _, e := range each {
				w.observe(ctx, activityType, took, e)
			}
		}
		return
	}
	if b[0] != '{' {
		return
	}
	var r activityResult
	if json.Unmarshal(b, &r) != nil {
		return
	}
	if activityType == workflows.ActivityPublish {
		w.m.publishSeconds.WithLabelValues().Observe(took.Seconds())
		w.m.publishObjects.WithLabelValues().Add(float64(r.Objects))
		w.m.releases.WithLabelValues(boolLabel(r.Reused)).Inc()
	}
	if w.objects == nil {
		return
	}
	// A short budget of its own: metrics never hold up or fail an activity.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if r.Provenance != nil && r.Draft != nil && r.Draft.Key != "" {
		w.countMemory(rctx, *r.Draft)
	}
	findings := r.Findings
	if findings == nil && r.Checks != nil {
		findings = r.Checks.Findings
	}
	if findings != nil && findings.Key != "" {
		w.countFindings(rctx, *findings)
	}
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
	m *Metrics
}

func (wi *workflowInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return wi.Next.Init(&stageWatcher{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}, m: wi.m})
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
