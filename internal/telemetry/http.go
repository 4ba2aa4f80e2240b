package telemetry

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Middleware counts requests per route pattern and status code. The route
// is the ServeMux pattern that served the request ("GET /api/tasks/{slug}/{locale}"),
// so label values stay a bounded set; the reader site is "site", and a
// request no pattern matched is "unmatched".
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := routeLabel(r.Pattern)
		m.httpRequests.WithLabelValues(route, strconv.Itoa(rec.code)).Inc()
		m.httpSeconds.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

func routeLabel(pattern string) string {
	switch {
	case pattern == "/":
		return "site"
	case pattern == "" || strings.HasSuffix(pattern, "/api/"):
		return "unmatched"
	}
	return pattern
}

// statusRecorder remembers the status code written.
type statusRecorder struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.code, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wroteHeader = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
