package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/telemetry"
)

// observability is the logger, metrics and (if OTEL_* asks) tracing of a
// long-running command; service is its default OpenTelemetry service.name.
func (g *globals) observability(ctx context.Context, service string) (app.Observability, error) {
	logger, err := g.logger()
	if err != nil {
		return app.Observability{}, usageError{err.Error()}
	}
	return newObservability(ctx, logger, service)
}

func newObservability(ctx context.Context, logger *slog.Logger, service string) (app.Observability, error) {
	metrics, err := telemetry.NewMetrics()
	if err != nil {
		return app.Observability{}, err
	}
	tracing, err := telemetry.NewTracing(ctx, service)
	if err != nil {
		return app.Observability{}, err
	}
	if tracing != nil {
		logger.Info("tracing on: spans go to the OTLP endpoint of OTEL_EXPORTER_OTLP_*", "service", service)
	}
	return app.Observability{Log: logger, Metrics: metrics, Tracing: tracing}, nil
}

// opsServer is the listener of /metrics, /healthz and /readyz; a nil one
// (no address) closes as a no-op.
type opsServer struct{ srv *http.Server }

func (o *opsServer) Close() {
	if o == nil || o.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = o.srv.Shutdown(ctx)
}

// startOps listens on addr first, so a port in use is an error at start.
func startOps(addr string, h http.Handler, obs app.Observability) (*opsServer, error) {
	if addr == "" {
		return &opsServer{}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			obs.Log.Error("metrics listener stopped", "error", err)
		}
	}()
	obs.Log.Info("serving /metrics, /healthz and /readyz", "addr", ln.Addr().String())
	return &opsServer{srv: srv}, nil
}

// serveOps starts the separate metrics listener of pressroom serve, if
// asked for, and registers the reports-by-stage gauge (the server counts
// them; workers do not, so a deployment reports them once per server).
func serveOps(p *app.Process, addr string) (*opsServer, error) {
	if err := p.Obs.Metrics.WatchReports(p.Client, p.Config.Namespace, p.Obs.Log); err != nil {
		return nil, err
	}
	return startOps(addr, app.OpsMux(p.Obs.Metrics, app.ReadinessChecks(p.Client, p.Store)), p.Obs)
}

// runWorker is `pressroom worker`.
func runWorker(ctx context.Context, g *globals, metricsAddr string) error {
	cfg, err := g.load()
	if err != nil {
		return err
	}
	obs, err := g.observability(ctx, "pressroom-worker")
	if err != nil {
		return err
	}
	p, err := app.Start(ctx, cfg, obs, app.Parts{Worker: true})
	if err != nil {
		return err
	}
	defer p.Close()
	ops, err := startOps(metricsAddr, app.OpsMux(obs.Metrics, app.ReadinessChecks(p.Client, p.Store)), obs)
	if err != nil {
		return err
	}
	p.OnClose(ops.Close)
	obs.Log.Info("worker started", "config", app.Describe(cfg), "from", cfg.Source)
	<-ctx.Done()
	obs.Log.Info("worker stopping")
	return nil
}

// devObservability is quieter than a worker's: pressroom dev prints its
// own summary, so its log shows warnings and errors only.
func devObservability(g *globals) (app.Observability, error) {
	logger, err := telemetry.NewLogger(os.Stderr, g.logFormat, "warn")
	if err != nil {
		return app.Observability{}, usageError{err.Error()}
	}
	return newObservability(context.Background(), logger, "pressroom-dev")
}
