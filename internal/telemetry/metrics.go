// Package telemetry is Pressroom's observability: Prometheus metrics (the
// Temporal SDK's own and Pressroom's), and the wrappers that feed them
// from the edges — HTTP middleware, a machine-translation provider
// wrapper, a worker interceptor — so no workflow or activity code changes.
package telemetry

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// Metrics is one process's registry and Pressroom's own metrics. Label
// values are bounded sets (locales, providers, checks, routes, stages):
// never slugs, users or segment IDs.
type Metrics struct {
	Registry *prometheus.Registry

	reviewSeconds  *prometheus.HistogramVec
	mtSegments     *prometheus.CounterVec
	mtCharacters   *prometheus.CounterVec
	mtErrors       *prometheus.CounterVec
	memoryLookups  *prometheus.CounterVec
	qaFindings     *prometheus.CounterVec
	publishSeconds *prometheus.HistogramVec // no labels
	publishObjects *prometheus.CounterVec   // no labels
	releases       *prometheus.CounterVec
	httpRequests   *prometheus.CounterVec
	httpSeconds    *prometheus.HistogramVec
	temporal       client.MetricsHandler
	names          []string
}

// NewMetrics makes a registry with the Go runtime and process collectors,
// Pressroom's metrics and a Temporal SDK metrics handler exporting into it.
func NewMetrics() (*Metrics, error) {
	reg := prometheus.NewRegistry()
	var names []string // of the families below, in order
	counterVec := func(o prometheus.CounterOpts, labels ...string) *prometheus.CounterVec {
		names = append(names, o.Name)
		return prometheus.NewCounterVec(o, labels)
	}
	histogramVec := func(o prometheus.HistogramOpts, labels ...string) *prometheus.HistogramVec {
		names = append(names, o.Name)
		return prometheus.NewHistogramVec(o, labels)
	}
	m := &Metrics{
		Registry: reg,
		reviewSeconds: histogramVec(prometheus.HistogramOpts{
			Name: "pressroom_review_duration_seconds", Help: "Time a locale's task spent in review, from first in review to approved.",
			Buckets: []float64{60, 600, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600},
		}, "locale"),
		mtSegments: counterVec(prometheus.CounterOpts{
			Name: "pressroom_mt_segments_total", Help: "Segments sent to machine translation, per provider.",
		}, "provider"),
		mtCharacters: counterVec(prometheus.CounterOpts{
			Name: "pressroom_mt_characters_total", Help: "Source characters (code points) sent to machine translation, per provider.",
		}, "provider"),
		mtErrors: counterVec(prometheus.CounterOpts{
			Name: "pressroom_mt_errors_total", Help: "Failed machine-translation requests or segments, per provider and kind (transient, unsupported_pair, permanent, segment).",
		}, "provider", "kind"),
		memoryLookups: counterVec(prometheus.CounterOpts{
			Name: "pressroom_memory_lookups_total", Help: "Translation-memory lookups of drafted segments: exact (filled from memory), fuzzy (a match offered beside MT), miss.",
		}, "result"),
		qaFindings: counterVec(prometheus.CounterOpts{
			Name: "pressroom_qa_findings_total", Help: "Quality-check findings, per check and severity.",
		}, "check", "severity"),
		publishSeconds: histogramVec(prometheus.HistogramOpts{
			Name: "pressroom_publish_duration_seconds", Help: "Duration of successful Publish activities.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}),
		publishObjects: counterVec(prometheus.CounterOpts{
			Name: "pressroom_publish_objects_total", Help: "Objects in the releases published.",
		}),
		releases: counterVec(prometheus.CounterOpts{
			Name: "pressroom_releases_total", Help: "Releases published; reused=true when identical content was already the latest release.",
		}, "reused"),
		httpRequests: counterVec(prometheus.CounterOpts{
			Name: "pressroom_http_requests_total", Help: "HTTP requests, per route pattern and status code.",
		}, "route", "code"),
		httpSeconds: histogramVec(prometheus.HistogramOpts{
			Name: "pressroom_http_request_duration_seconds", Help: "HTTP request latency, per route pattern.",
			Buckets: prometheus.DefBuckets,
		}, "route"),
	}
	m.names = append(names, reportsName, reportsErrorsName)
	reg.MustRegister(
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.reviewSeconds, m.mtSegments, m.mtCharacters, m.mtErrors, m.memoryLookups, m.qaFindings,
		m.publishSeconds, m.publishObjects, m.releases, m.httpRequests, m.httpSeconds,
	)
	// The SDK's metrics (temporal_workflow_task_*, temporal_activity_*,
	// temporal_request_*, ...) through its OpenTelemetry handler and
	// OpenTelemetry's Prometheus exporter into the same registry.
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, err
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp))
	m.temporal = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{Meter: provider.Meter("go.temporal.io/sdk")})
	return m, nil
}

// TemporalHandler is the metrics handler for client.Options.
func (m *Metrics) TemporalHandler() client.MetricsHandler { return m.temporal }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Names lists Pressroom's own metric families (not the SDK's, which are
// all temporal_*), for dashboards and their checks.
func (m *Metrics) Names() []string { return append([]string(nil), m.names...) }
