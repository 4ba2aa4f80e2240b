package app

import (
	"context"
	"fmt"
	"net/http"

	"go.temporal.io/sdk/client"

	"github.com/pressroom/pressroom/internal/health"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/telemetry"
)

// ReadinessChecks probe Temporal (the frontend's health check) and the
// object store (a LIST in the bucket: it needs the endpoint, the
// credentials and the bucket).
func ReadinessChecks(c client.Client, st *store.Store) []health.Check {
	return []health.Check{
		{Name: "temporal", Probe: func(ctx context.Context) error {
			_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		}},
		{Name: "s3", Probe: func(ctx context.Context) error {
			if _, err := st.ListKeys(ctx, "releases/.readyz/"); err != nil {
				return fmt.Errorf("bucket %s: %w", st.Bucket(), err)
			}
			return nil
		}},
	}
}

// OpsMux serves GET /healthz, /readyz and, with metrics, /metrics.
func OpsMux(metrics *telemetry.Metrics, checks []health.Check) *http.ServeMux {
	mux := http.NewServeMux()
	health.Register(mux, checks...)
	if metrics != nil {
		mux.Handle("GET /metrics", metrics.Handler())
	}
	return mux
}

// ServeHandler is the server's handler: the probes (and /metrics unless
// they are served elsewhere) beside the API and the site, which are
// counted per route and status and traced when tracing is on.
//
// routes are the API's "METHOD /path" patterns (web.API.Routes), the
// names requests are counted and traced by.
func ServeHandler(site http.Handler, routes []string, obs Observability, checks []health.Check, withMetrics bool) http.Handler {
	var m *telemetry.Metrics
	if withMetrics {
		m = obs.Metrics
	}
	mux := OpsMux(m, checks)
	names := telemetry.NewRoutes(routes)
	if obs.Metrics != nil {
		site = obs.Metrics.Middleware(site, names)
	}
	mux.Handle("/", obs.Tracing.Middleware(site, names))
	return mux
}
