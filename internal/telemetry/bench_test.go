package telemetry

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pressroom/pressroom/internal/mt"
)

// What the instrumentation costs per request and per MT batch, beside the
// same work without it.
func BenchmarkHTTPMiddleware(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tasks/{slug}/{locale}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	m, _ := NewMetrics()
	req := httptest.NewRequest("GET", "/api/tasks/a/fr", nil)
	for name, h := range map[string]http.Handler{"bare": mux, "metered": m.Middleware(mux, nil)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

func BenchmarkProvider(b *testing.B) {
	m, _ := NewMetrics()
	segs := make([]mt.Segment, 50)
	for i := range segs {
		segs[i] = mt.Segment{ID: "p", Text: "From 1 July to 31 August the reading room closes at 16:00 instead of 18:00."}
	}
	req := mt.Request{Source: "en", Target: "fr", Segments: segs}
	for name, p := range map[string]mt.Provider{"bare": mt.Pseudo{}, "metered": m.Provider(mt.Pseudo{})} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Translate(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
