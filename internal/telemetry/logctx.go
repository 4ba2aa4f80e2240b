package telemetry

import (
	"context"
	"strings"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"
)

// LogContext is a worker interceptor that adds the report's slug (and
// locale) to every workflow and activity log line, beside the workflow
// and run IDs the SDK adds: they are read from the workflow ID
// (report/<slug>[/<locale>]), so no workflow code passes them around.
func LogContext() interceptor.WorkerInterceptor { return &logContext{} }

type logContext struct {
	interceptor.WorkerInterceptorBase
}

func (*logContext) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &logActivityInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}}
}

func (*logContext) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &logWorkflowInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}}
}

type logActivityInbound struct {
	interceptor.ActivityInboundInterceptorBase
}

func (a *logActivityInbound) Init(outbound interceptor.ActivityOutboundInterceptor) error {
	return a.Next.Init(&logActivityOutbound{ActivityOutboundInterceptorBase: interceptor.ActivityOutboundInterceptorBase{Next: outbound}})
}

type logActivityOutbound struct {
	interceptor.ActivityOutboundInterceptorBase
}

func (a *logActivityOutbound) GetLogger(ctx context.Context) tlog.Logger {
	return withReport(a.Next.GetLogger(ctx), activity.GetInfo(ctx).WorkflowExecution.ID)
}

type logWorkflowInbound struct {
	interceptor.WorkflowInboundInterceptorBase
}

func (w *logWorkflowInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return w.Next.Init(&logWorkflowOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}})
}

type logWorkflowOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
}

func (w *logWorkflowOutbound) GetLogger(ctx workflow.Context) tlog.Logger {
	return withReport(w.Next.GetLogger(ctx), workflow.GetInfo(ctx).WorkflowExecution.ID)
}

func withReport(l tlog.Logger, workflowID string) tlog.Logger {
	slug, locale, ok := ReportOf(workflowID)
	if !ok {
		return l
	}
	if locale != "" {
		return tlog.With(l, "slug", slug, "locale", locale)
	}
	return tlog.With(l, "slug", slug)
}

// ReportOf reads the slug and locale from a Pressroom workflow ID.
func ReportOf(workflowID string) (slug, locale string, ok bool) {
	rest, ok := strings.CutPrefix(workflowID, "report/")
	if !ok || rest == "" {
		return "", "", false
	}
	slug, locale, _ = strings.Cut(rest, "/")
	return slug, locale, true
}
