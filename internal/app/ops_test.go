package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/health"
	"github.com/pressroom/pressroom/internal/telemetry"
)

func TestServeHandlerPlacesMetricsAndProbes(t *testing.T) {
	m, err := telemetry.NewMetrics()
	if err != nil {
		t.Fatal(err)
	}
	site := http.NewServeMux()
	site.HandleFunc("GET /api/reports", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	site.HandleFunc("/", http.NotFound)
	checks := []health.Check{{Name: "temporal", Probe: func(context.Context) error { return nil }}}
	get := func(h http.Handler, path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}

	public := ServeHandler(site, []string{"GET /api/reports"}, Observability{Metrics: m}, checks, true)
	get(public, "/api/reports")
	if code, body := get(public, "/metrics"); code != 200 || !strings.Contains(body, `pressroom_http_requests_total{code="401",route="GET /api/reports"} 1`) {
		t.Fatalf("/metrics on the public handler: %d\n%s", code, body)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if code, _ := get(public, p); code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
	}

	// With --metrics-addr, /metrics leaves the public port; the probes stay.
	private := ServeHandler(site, []string{"GET /api/reports"}, Observability{Metrics: m}, checks, false)
	if code, _ := get(private, "/metrics"); code != http.StatusNotFound {
		t.Fatalf("/metrics should not be served on the public port with --metrics-addr: %d", code)
	}
	if code, _ := get(private, "/readyz"); code != 200 {
		t.Fatalf("/readyz: %d", code)
	}
}
