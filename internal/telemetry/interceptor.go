package telemetry

import (
	"context"
	"encoding/json"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/workflows"
)

// WorkerInterceptor feeds Pressroom's workflow metrics from a worker
// without touching workflow or activity code:
//   - review time, from the PressroomStage search attribute a locale
//     workflow sets (first in_review → approved), recorded only when not
//     replaying;
//   - publish duration and objects, from the Publish activity's result.
//
// Memory lookups and quality findings are told by the activities
// themselves (Metrics is an activities.Observer): they hold the draft and
// the findings, which the interceptor would have to read back.
func (m *Metrics) WorkerInterceptor() interceptor.WorkerInterceptor {
	return &workerInterceptor{m: m}
}

type workerInterceptor struct {
	interceptor.WorkerInterceptorBase
	m *Metrics
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
	a.w.observe(activity.GetInfo(ctx).ActivityType.Name, time.Since(start), res)
	return res, err
}

// The Publish activity's result, read by JSON field names so the result
// type may grow.
type publishResult struct {
	Objects int  `json:"objects"`
	Reused  bool `json:"reused"`
}

func (w *workerInterceptor) observe(activityType string, took time.Duration, res any) {
	if activityType != workflows.ActivityPublish {
		return
	}
	b, err := json.Marshal(res)
	if err != nil {
		return
	}
	var r publishResult
	_ = json.Unmarshal(b, &r)
	w.m.publishSeconds.WithLabelValues().Observe(took.Seconds())
	w.m.publishObjects.WithLabelValues().Add(float64(r.Objects))
	w.m.releases.WithLabelValues(boolLabel(r.Reused)).Inc()
}

// MemoryLookups counts what the memory offered drafted segments.
func (m *Metrics) MemoryLookups(exact, fuzzy, miss int) {
	m.memoryLookups.WithLabelValues("exact").Add(float64(exact))
	m.memoryLookups.WithLabelValues("fuzzy").Add(float64(fuzzy))
	m.memoryLookups.WithLabelValues("miss").Add(float64(miss))
}

// Findings counts the findings of one check run, per check and severity.
func (m *Metrics) Findings(fs []qa.Finding) {
	for _, f := range fs {
		m.qaFindings.WithLabelValues(f.Check, string(f.Severity)).Inc()
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
