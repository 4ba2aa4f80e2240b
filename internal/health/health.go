// Package health serves liveness and readiness probes: /healthz says the
// process is alive (it answers), /readyz that what it depends on — Temporal
// and the object store — answers too.
package health

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Check is one dependency; Probe returns nil when it is reachable.
type Check struct {
	Name  string
	Probe func(ctx context.Context) error
}

// Timeout bounds each readiness probe.
const Timeout = 3 * time.Second

// Register adds GET /healthz and GET /readyz to mux.
func Register(mux *http.ServeMux, checks ...Check) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		write(w, http.StatusOK, map[string]any{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		results := Run(r.Context(), checks)
		code, status := http.StatusOK, "ready"
		// The probe may be public (the server's port): it names what
		// fails; why — hosts, buckets, SDK errors — goes to the log.
		public := make(map[string]string, len(results))
		for name, v := range results {
			public[name] = "ok"
			if v != "ok" {
				code, status = http.StatusServiceUnavailable, "not ready"
				public[name] = "failing"
				slog.Warn("readiness check failing", "check", name, "error", v)
			}
		}
		write(w, code, map[string]any{"status": status, "checks": public})
	})
}

// Run probes every check in parallel: name → "ok" or the error.
func Run(ctx context.Context, checks []Check) map[string]string {
	out := make(map[string]string, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, Timeout)
			defer cancel()
			res := "ok"
			if err := c.Probe(pctx); err != nil {
				res = err.Error()
			}
			mu.Lock()
			out[c.Name] = res
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func write(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
