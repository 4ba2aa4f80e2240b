package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/workflows"
)

func TestLoggerDropsRepeatedKeys(t *testing.T) {
	var buf bytes.Buffer
	l, err := NewLogger(&buf, LogJSON, "info")
	if err != nil {
		t.Fatal(err)
	}
	l.With("WorkflowID", "report/a/fr", "slug", "a").Info("drafted", "slug", "a", "locale", "fr")
	line := buf.String()
	if strings.Count(line, `"slug"`) != 1 || !strings.Contains(line, `"WorkflowID":"report/a/fr"`) {
		t.Fatalf("want one slug and the context kept: %s", line)
	}
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if _, err := NewLogger(&buf, "yaml", ""); err == nil || !strings.Contains(err.Error(), "--log-format") {
		t.Fatalf("unknown format: %v", err)
	}
	if _, err := NewLogger(&buf, LogText, "loud"); err == nil || !strings.Contains(err.Error(), "--log-level") {
		t.Fatalf("unknown level: %v", err)
	}
	buf.Reset()
	l, _ = NewLogger(&buf, LogAuto, "") // a buffer is not a terminal: JSON
	l.Info("x")
	if !strings.HasPrefix(buf.String(), "{") {
		t.Fatalf("auto format off a terminal should be JSON: %s", buf.String())
	}
}

func TestReportOf(t *testing.T) {
	for id, want := range map[string][3]string{
		"report/summer-hours":    {"summer-hours", "", "true"},
		"report/summer-hours/fr": {"summer-hours", "fr", "true"},
		"something-else":         {"", "", "false"},
		"report/":                {"", "", "false"},
		"event/report/summer-hours/fr/01a231bc-af15-7242-abd5-e8ca987c3376/1/task.assigned": {"summer-hours", "fr", "true"},
		"event/report/summer-hours/01a231bc-ad6c-74a2-ab01-829091f2176f/1/report.published": {"summer-hours", "", "true"},
	} {
		slug, locale, ok := ReportOf(id)
		if slug != want[0] || locale != want[1] || (ok != (want[2] == "true")) {
			t.Errorf("%s: %q %q %v", id, slug, locale, ok)
		}
	}
}

func TestMiddlewareCountsRoutePatterns(t *testing.T) {
	m, err := NewMetrics()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tasks/{slug}/{locale}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("page")) })
	h := m.Middleware(mux, nil)
	for _, p := range []string{"/api/tasks/a/fr", "/api/tasks/b/es", "/en/a/"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	if got := testutil.ToFloat64(m.httpRequests.WithLabelValues("GET /api/tasks/{slug}/{locale}", "403")); got != 2 {
		t.Fatalf("task route 403s: %v", got)
	}
	if got := testutil.ToFloat64(m.httpRequests.WithLabelValues("site", "200")); got != 1 {
		t.Fatalf("site 200s: %v", got)
	}
}

type fakeProvider struct{ err error }

func (fakeProvider) Name() string { return "fake" }
func (f fakeProvider) Translate(_ context.Context, req mt.Request) ([]mt.Result, error) {
	if f.err != nil {
		return nil, f.err
	}
	out := make([]mt.Result, len(req.Segments))
	for i, s := range req.Segments {
		out[i] = mt.Result{ID: s.ID, Text: s.Text}
	}
	out[0].Err = errors.New("markup lost")
	return out, nil
}

func TestProviderCounts(t *testing.T) {
	m, _ := NewMetrics()
	req := mt.Request{Source: "en", Target: "fr", Segments: []mt.Segment{{ID: "a", Text: "héllo"}, {ID: "b", Text: "世界"}}}
	if _, err := m.Provider(fakeProvider{}).Translate(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	_, _ = m.Provider(fakeProvider{err: &mt.TransientError{Err: errors.New("429")}}).Translate(context.Background(), req)
	_, _ = m.Provider(fakeProvider{err: &mt.UnsupportedPairError{Provider: "fake", Source: "en", Target: "xx"}}).Translate(context.Background(), req)
	if got := testutil.ToFloat64(m.mtSegments.WithLabelValues("fake")); got != 6 {
		t.Fatalf("segments: %v", got)
	}
	if got := testutil.ToFloat64(m.mtCharacters.WithLabelValues("fake")); got != 21 { // (5+2) code points × 3
		t.Fatalf("characters: %v", got)
	}
	for kind, want := range map[string]float64{"segment": 1, "transient": 1, "unsupported_pair": 1, "permanent": 0} {
		if got := testutil.ToFloat64(m.mtErrors.WithLabelValues("fake", kind)); got != want {
			t.Errorf("errors %s: %v, want %v", kind, got, want)
		}
	}
}

func TestPublishResultsAndObservationsFeedTheMetrics(t *testing.T) {
	m, _ := NewMetrics()
	w := m.WorkerInterceptor().(*workerInterceptor)
	w.observe(workflows.ActivityPublish, 0, workflows.Release{Version: 1, Objects: 12})
	w.observe(workflows.ActivityTranslateReport, 0, []workflows.TranslateOutput{{Segments: 40}}) // not a publish: no publish metrics
	if got := testutil.ToFloat64(m.publishObjects.WithLabelValues()); got != 12 {
		t.Errorf("publish objects: %v", got)
	}
	if got := testutil.ToFloat64(m.releases.WithLabelValues("false")); got != 1 {
		t.Errorf("releases not reused: %v", got)
	}
	m.MemoryLookups(1, 1, 2)
	m.MemoryLookups(2, 0, 0)
	for result, want := range map[string]float64{"exact": 3, "fuzzy": 1, "miss": 2} {
		if got := testutil.ToFloat64(m.memoryLookups.WithLabelValues(result)); got != want {
			t.Errorf("memory %s: %v, want %v", result, got, want)
		}
	}
	m.Findings([]qa.Finding{{Check: "numbers", Severity: qa.Error}, {Check: "untranslated", Severity: qa.Warning}, {Check: "numbers", Severity: qa.Error}})
	if got := testutil.ToFloat64(m.qaFindings.WithLabelValues("numbers", "error")); got != 2 {
		t.Errorf("numbers errors: %v", got)
	}
	if got := testutil.ToFloat64(m.qaFindings.WithLabelValues("untranslated", "warning")); got != 1 {
		t.Errorf("untranslated warnings: %v", got)
	}
}
