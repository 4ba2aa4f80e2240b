package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// Tracing is OpenTelemetry tracing through the Temporal SDK's tracing
// interceptor: a span for the API request, the workflow start, each
// workflow and child, each activity — one trace per report.
type Tracing struct {
	Interceptor interceptor.Interceptor
	tracer      trace.Tracer
	provider    *sdktrace.TracerProvider
}

// TracingEnabled says whether the OTEL_* environment asks for traces.
// Tracing is off by default: on when an OTLP endpoint is set
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or
// OTEL_TRACES_EXPORTER=otlp, and never with OTEL_SDK_DISABLED=true or
// OTEL_TRACES_EXPORTER=none.
func TracingEnabled(getenv func(string) string) bool {
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	switch strings.ToLower(getenv("OTEL_TRACES_EXPORTER")) {
	case "none":
		return false
	case "otlp":
		return true
	case "":
	default:
		return false
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// NewTracing starts tracing when the environment asks for it (nil
// otherwise). The exporter is OTLP over HTTP/protobuf and reads the
// standard variables itself (endpoint, headers, timeout, TLS
// certificates); the resource reads OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES, with service.name defaulting to service.
func NewTracing(ctx context.Context, service string) (*Tracing, error) {
	if !TracingEnabled(os.Getenv) {
		return nil, nil
	}
	if p := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"); p == "" {
		if p = os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL"); p != "" && p != "http/protobuf" {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL=%s: Pressroom exports traces over http/protobuf only", p)
		}
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(service)))
	if err != nil {
		return nil, err
	}
	if res, err = resource.Merge(res, envResource()); err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	tracer := tp.Tracer("github.com/pressroom/pressroom")
	ic, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{Tracer: tracer})
	if err != nil {
		return nil, err
	}
	return &Tracing{Interceptor: ic, tracer: tracer, provider: tp}, nil
}

// envResource is OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, which
// win over the default service name.
func envResource() *resource.Resource {
	r, err := resource.New(context.Background(), resource.WithFromEnv())
	if err != nil {
		return resource.Empty()
	}
	return r
}

// Shutdown flushes the spans still buffered.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

// Middleware starts a server span per request, continuing a trace the
// caller sent (traceparent), named by the route pattern once routed.
func (t *Tracing) Middleware(next http.Handler, routes *Routes) http.Handler {
	if t == nil {
		return next
	}
	prop := otel.GetTextMapPropagator()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := t.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
		defer span.End()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		r = r.WithContext(ctx)
		next.ServeHTTP(rec, r)
		if route := routes.label(r, r); route != "unmatched" {
			span.SetName(route)
			span.SetAttributes(attribute.String("http.route", route))
		}
		span.SetAttributes(attribute.Int("http.response.status_code", rec.code))
		if rec.code >= 500 {
			span.SetStatus(codes.Error, http.StatusText(rec.code))
		}
	})
}
