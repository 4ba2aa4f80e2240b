// Package app wires Pressroom's parts together: a Temporal client, the
// object store, machine translation and the worker. Every command and the
// integration tests build their processes from here.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/devstack"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/telemetry"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/internal/webhook"
	"github.com/pressroom/pressroom/workflows"
)

// ClientOptions are the Temporal client options of a configuration: the
// address and namespace Pressroom resolved, with TLS, API key and gRPC
// metadata from Temporal's environment configuration.
func ClientOptions(cfg config.Config) (client.Options, error) {
	prof := cfg.Temporal
	prof.Address, prof.Namespace = cfg.TemporalAddress, cfg.Namespace
	opts, err := prof.ToClientOptions(envconfig.ToClientOptionsRequest{})
	if err != nil {
		return client.Options{}, fmt.Errorf("temporal client configuration (from %s): %w", cfg.Source, err)
	}
	return opts, nil
}

// Observability is what a long-running process reports through: its
// logger, its metrics registry and, when OTEL_* asks for it, tracing.
// The zero value reports nothing.
type Observability struct {
	Log     *slog.Logger
	Metrics *telemetry.Metrics
	// Tracing, when OTEL_* turns it on, puts the SDK's tracing interceptor
	// on the client (and so on its workers).
	Tracing *telemetry.Tracing
}

// Dial connects to Temporal, with an error that says where the address
// came from and what to do.
func Dial(ctx context.Context, cfg config.Config, logger *slog.Logger) (client.Client, error) {
	return DialObserved(ctx, cfg, Observability{Log: logger})
}

// DialObserved connects a client that exports the SDK's metrics into
// obs.Metrics and carries obs.Interceptors.
func DialObserved(ctx context.Context, cfg config.Config, obs Observability) (client.Client, error) {
	opts, err := ClientOptions(cfg)
	if err != nil {
		return nil, err
	}
	if obs.Metrics != nil {
		opts.MetricsHandler = obs.Metrics.TemporalHandler()
	}
	if obs.Tracing != nil {
		opts.Interceptors = append(opts.Interceptors, obs.Tracing.Interceptor)
	}
	logger := obs.Log
	if logger != nil {
		opts.Logger = tlog.NewStructuredLogger(logger)
	} else {
		opts.Logger = tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("cannot reach Temporal at %s (%s, from %s): %w; is `pressroom dev` running, or TEMPORAL_ADDRESS (and TEMPORAL_TLS_*, TEMPORAL_API_KEY for a secured cluster) set?", cfg.TemporalAddress, security(cfg), cfg.Source, err)
	}
	return c, nil
}

// OpenStore connects to the bucket.
func OpenStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	return store.New(ctx, cfg.Store())
}

// Translator builds the machine-translation router from the routing and
// provider settings of cfg; with metrics, every provider is counted.
func Translator(cfg config.Config, metrics *telemetry.Metrics) (*mt.Router, error) {
	return mt.ParseRouting(cfg.MT, func(name string) (mt.Provider, error) {
		p, err := mt.NewProvider(name, cfg.Providers, nil)
		if err != nil || metrics == nil {
			return p, err
		}
		return metrics.Provider(p), nil
	})
}

// EnsureSearchAttributes registers Pressroom's search attributes on a
// Temporal cluster that does not have them yet (the dev server gets them
// at start; a production cluster gets them here or from docker-compose).
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	list, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, name := range devstack.SearchAttributes {
		if _, ok := list.GetCustomAttributes()[name]; !ok {
			missing[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: namespace, SearchAttributes: missing})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("register search attributes: %w", err)
	}
	return nil
}

// StickyCacheSize bounds how many workflows a worker process keeps in
// memory between their tasks (the SDK's default is 10,000). A report
// parked in review needs none: an evicted workflow is replayed from its
// short history when its next task comes. 600 is a hundred reports of
// six workflows, plenty for the ones actively moving.
const StickyCacheSize = 600

var stickyOnce sync.Once

// NewWorker registers every workflow and activity on the task queue.
func NewWorker(c client.Client, taskQueue string, acts *activities.Activities) worker.Worker {
	return NewWorkerWithOptions(c, taskQueue, acts, worker.Options{})
}

// NewWorkerWithOptions is NewWorker with worker options (interceptors,
// versioning).
func NewWorkerWithOptions(c client.Client, taskQueue string, acts *activities.Activities, opts worker.Options) worker.Worker {
	// A process-wide setting of the SDK, allowed once before the first worker.
	stickyOnce.Do(func() { worker.SetStickyWorkflowCacheSize(StickyCacheSize) })
	w := worker.New(c, taskQueue, opts)
	w.RegisterWorkflowWithOptions(workflows.ReportWorkflow, workflow.RegisterOptions{Name: workflows.ReportWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.LocaleWorkflow, workflow.RegisterOptions{Name: workflows.LocaleWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.EventWorkflow, workflow.RegisterOptions{Name: workflows.EventWorkflowName})
	RegisterActivities(w, acts)
	return w
}

// RegisterActivities registers every activity under its name.
func RegisterActivities(w worker.ActivityRegistry, acts *activities.Activities) {
	w.RegisterActivityWithOptions(acts.Translate, activity.RegisterOptions{Name: workflows.ActivityTranslate})
	w.RegisterActivityWithOptions(acts.TranslateReport, activity.RegisterOptions{Name: workflows.ActivityTranslateReport})
	w.RegisterActivityWithOptions(acts.ApplyEdits, activity.RegisterOptions{Name: workflows.ActivityApplyEdits})
	w.RegisterActivityWithOptions(acts.Publish, activity.RegisterOptions{Name: workflows.ActivityPublish})
	w.RegisterActivityWithOptions(acts.Notify, activity.RegisterOptions{Name: workflows.ActivityNotify})
}

// startWorker starts a worker on cfg.TaskQueue with every activity's
// dependencies: the store (its bucket made sure of), machine translation
// (counted with obs.Metrics), the memory, the checks and the webhook. A
// worker interceptor feeds obs.Metrics review times, memory hits,
// findings and publishes.
func startWorker(ctx context.Context, cfg config.Config, c client.Client, st *store.Store, obs Observability) (worker.Worker, error) {
	if err := st.EnsureBucket(ctx); err != nil {
		return nil, err
	}
	tr, err := Translator(cfg, obs.Metrics)
	if err != nil {
		return nil, err
	}
	if err := EnsureSearchAttributes(ctx, c, cfg.Namespace); err != nil {
		return nil, err
	}
	acts := &activities.Activities{Store: st, Translator: tr, Memories: &tmstore.Memories{Store: st, ListEvery: tmstore.WorkerListEvery}, QA: qa.DefaultConfig()}
	if cfg.WebhookURL != "" {
		acts.Webhook = &webhook.Sender{URL: cfg.WebhookURL, Secret: []byte(cfg.WebhookSecret)}
	}
	opts := worker.Options{Interceptors: []interceptor.WorkerInterceptor{telemetry.LogContext()}}
	if obs.Metrics != nil {
		opts.Interceptors = append(opts.Interceptors, obs.Metrics.WorkerInterceptor())
		acts.Observer = obs.Metrics
	}
	w := NewWorkerWithOptions(c, cfg.TaskQueue, acts, opts)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker on task queue %s: %w", cfg.TaskQueue, err)
	}
	return w, nil
}

// Describe is a one-line summary of a configuration for logs.
func Describe(cfg config.Config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "temporal=%s namespace=%s security=%q queue=%s s3=%s bucket=%s", cfg.TemporalAddress, cfg.Namespace, security(cfg), cfg.TaskQueue, cfg.S3.Endpoint, cfg.S3.Bucket)
	return b.String()
}

// security names how the Temporal connection is secured, never the
// secrets themselves.
func security(cfg config.Config) string {
	var parts []string
	if cfg.TLS() {
		parts = append(parts, "TLS")
		if t := cfg.Temporal.TLS; t != nil && (t.ClientCertPath != "" || len(t.ClientCertData) > 0) {
			parts = append(parts, "client certificate")
		}
	} else {
		parts = append(parts, "plaintext")
	}
	if cfg.Temporal.APIKey != "" {
		parts = append(parts, "API key")
	}
	return strings.Join(parts, ", ")
}
