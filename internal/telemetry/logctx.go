package telemetry

import (
	"context"
	"strings"

	"golang.org/x/text/language"

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

// ReportOf reads the slug and locale from a Pressroom workflow ID:
// report/<slug>, report/<slug>/<locale>, or an event delivery's
// event/report/<slug>[/<locale>]/<run and event>. A third segment is a
// locale only when it parses as a BCP 47 tag (a run ID does not).
func ReportOf(workflowID string) (slug, locale string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(workflowID, "event/"), "report/")
	if !ok || rest == "" {
		return "", "", false
	}
	parts := strings.SplitN(rest, "/", 3)
	if parts[0] == "" {
		return "", "", false
	}
	if len(parts) > 1 {
		if _, err := language.Parse(parts[1]); err == nil {
			locale = parts[1]
		}
	}
	return parts[0], locale, true
}
