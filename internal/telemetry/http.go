package telemetry

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Routes names a request by the route pattern that serves it ("GET
// /api/tasks/{slug}/{locale}"), so label values stay a bounded set. The
// patterns are matched here, beside the handler, because a handler that
// copies the request (a deadline, a user in the context) keeps the
// pattern its mux sets out of reach of the middleware.
type Routes struct{ mux *http.ServeMux }

// NewRoutes matches the given "METHOD /path" patterns.
func NewRoutes(patterns []string) *Routes {
	mux := http.NewServeMux()
	for _, p := range patterns {
		mux.Handle(p, http.NotFoundHandler())
	}
	return &Routes{mux: mux}
}

// label is the request's route: a pattern given to NewRoutes, else the
// pattern the handler's own mux set, "site" for the reader site's
// catch-all and "unmatched" for anything else.
func (rt *Routes) label(r *http.Request, served *http.Request) string {
	if rt != nil {
		if _, p := rt.mux.Handler(r); p != "" {
			return p
		}
	}
	return routeLabel(served.Pattern)
}

// Middleware counts requests per route and status code.
func (m *Metrics) Middleware(next http.Handler, routes *Routes) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := routes.label(r, r)
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
