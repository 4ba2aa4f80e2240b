package integration

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/devstack"
	"github.com/pressroom/pressroom/workflows"
)

// TestObservability runs `pressroom worker` and `pressroom serve` as
// processes with JSON logs, publishes a report through the HTTP API and
// then checks what operators see: the probes, the SDK's and Pressroom's
// metrics on both processes, and logs that carry workflow, run and slug
// but none of the secrets the processes were given.
func TestObservability(t *testing.T) {
	queue := "pressroom-obs"
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }))
	t.Cleanup(hook.Close)

	usersFile := filepath.Join(t.TempDir(), "users.json")
	users, err := auth.Load(usersFile)
	if err != nil {
		t.Fatal(err)
	}
	editorToken, err := users.Add("edith", auth.RoleEditor, nil)
	if err != nil {
		t.Fatal(err)
	}
	claireToken, err := users.Add("claire", auth.RoleTranslator, []string{"fr"})
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Save(usersFile); err != nil {
		t.Fatal(err)
	}
	otlp := startOTLPReceiver(t)
	const webhookSecret = "whsec-obs-3f9c2e7a1b8d4c6e"
	const apiKey = "temporal-api-key-obs-9d8c7b6a"
	environ := withEnv(cliEnv(queue),
		"PRESSROOM_USERS="+usersFile,
		"PRESSROOM_WEBHOOK_URL="+hook.URL,
		"PRESSROOM_WEBHOOK_SECRET="+webhookSecret,
		// An API key sent as a header over plaintext: the dev server
		// ignores it, and the logs must not show it.
		"TEMPORAL_API_KEY="+apiKey, "TEMPORAL_TLS=false",
		"TEMPORAL_CONFIG_FILE="+filepath.Join(t.TempDir(), "none.toml"),
		"PRESSROOM_LOG_FORMAT=json",
		// Traces to a real OTLP/HTTP endpoint, flushed quickly.
		"OTEL_EXPORTER_OTLP_ENDPOINT="+otlp.url, "OTEL_BSP_SCHEDULE_DELAY=200",
	)
	wport, _ := devstack.FreePort("127.0.0.1")
	sport, _ := devstack.FreePort("127.0.0.1")
	workerOps := fmt.Sprintf("http://127.0.0.1:%d", wport)
	server := fmt.Sprintf("http://127.0.0.1:%d", sport)
	worker := startProcess(t, environ, "worker", "--metrics-addr", fmt.Sprintf("127.0.0.1:%d", wport))
	serve := startProcess(t, environ, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", sport))

	for _, base := range []string{workerOps, server} {
		eventually(t, time.Minute, base+"/readyz", func() error {
			code, body := httpGet(base+"/readyz", "")
			if code != 200 || !strings.Contains(body, `"temporal":"ok"`) || !strings.Contains(body, `"s3":"ok"`) {
				return fmt.Errorf("%d %s", code, body)
			}
			return nil
		})
		if code, _ := httpGet(base+"/healthz", ""); code != 200 {
			t.Fatalf("%s/healthz: %d", base, code)
		}
	}

	// Submit through the API, wait for review, approve as the translator.
	slug := "obs-notice"
	req, _ := http.NewRequest("POST", server+"/api/reports?slug="+slug+"&to=fr&reviewer=fr:claire", strings.NewReader(notice))
	req.Header.Set("Authorization", "Bearer "+editorToken)
	req.Header.Set("Content-Type", "text/markdown")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("submit: %d %s", resp.StatusCode, b)
	}
	var st workflows.ReportStatus
	reportStatus := func() error {
		code, body := httpGet(server+"/api/reports/"+slug, editorToken)
		if code != 200 {
			return fmt.Errorf("%d %s", code, body)
		}
		st = workflows.ReportStatus{}
		return json.Unmarshal([]byte(body), &st)
	}
	eventually(t, 2*time.Minute, "fr in review", func() error {
		if err := reportStatus(); err != nil {
			return err
		}
		if len(st.Locales) != 1 || st.Locales[0].Stage != workflows.StageInReview {
			return fmt.Errorf("%+v", st.Locales)
		}
		return nil
	})
	// An edit that leaves the title untranslated: a quality warning.
	edit, _ := json.Marshal(map[string]string{"text": "Office hours change for the summer", "base_draft": st.Locales[0].Draft.SHA256})
	req, _ = http.NewRequest("PUT", server+"/api/tasks/"+slug+"/fr/segments/title", bytes.NewReader(edit))
	req.Header.Set("Authorization", "Bearer "+claireToken)
	req.Header.Set("Content-Type", "application/json")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("edit: %d %s", resp.StatusCode, b)
	}
	eventually(t, time.Minute, "edit checked", func() error {
		if err := reportStatus(); err != nil {
			return err
		}
		if l := st.Locales[0]; l.Stage != workflows.StageInReview || l.Checks.Warnings == 0 {
			return fmt.Errorf("%+v", l)
		}
		return nil
	})
	req, _ = http.NewRequest("POST", server+"/api/tasks/"+slug+"/fr/approve", nil)
	req.Header.Set("Authorization", "Bearer "+claireToken)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	eventually(t, 2*time.Minute, "published", func() error {
		if err := reportStatus(); err != nil {
			return err
		}
		if st.Stage != workflows.StagePublished || st.Release == nil {
			return fmt.Errorf("stage %s", st.Stage)
		}
		return nil
	})
	segments := st.Locales[0].Segments

	// The worker's metrics: the SDK's and Pressroom's.
	// The SDK counts a workflow completed once its last task is answered,
	// a moment after the status query says published.
	eventually(t, 30*time.Second, "ReportWorkflow completed in the SDK's metrics", func() error {
		if n, _ := scrape(t, workerOps+"/metrics").sum("temporal_workflow_completed", map[string]string{"workflow_type": workflows.ReportWorkflowName}); n < 1 {
			return fmt.Errorf("temporal_workflow_completed{workflow_type=ReportWorkflow} = %v", n)
		}
		return nil
	})
	wm := scrape(t, workerOps+"/metrics")
	wm.atLeast(t, "temporal_activity_execution_latency_seconds_count", map[string]string{"activity_type": workflows.ActivityPublish}, 1)
	wm.atLeast(t, "temporal_workflow_completed", map[string]string{"workflow_type": workflows.ReportWorkflowName}, 1)
	wm.equal(t, "pressroom_mt_segments_total", map[string]string{"provider": "pseudo"}, float64(segments))
	wm.atLeast(t, "pressroom_mt_characters_total", map[string]string{"provider": "pseudo"}, float64(len("Office hours change for the summer")))
	wm.equal(t, "pressroom_memory_lookups_total", map[string]string{"result": "miss"}, float64(segments))
	wm.equal(t, "pressroom_memory_lookups_total", map[string]string{"result": "exact"}, 0)
	wm.equal(t, "pressroom_review_duration_seconds_count", map[string]string{"locale": "fr"}, 1)
	wm.equal(t, "pressroom_publish_duration_seconds_count", nil, 1)
	wm.equal(t, "pressroom_publish_objects_total", nil, float64(st.Release.Objects))
	wm.equal(t, "pressroom_releases_total", map[string]string{"reused": "false"}, 1)
	checks := st.Locales[0].Checks
	t.Logf("fr checks: %d errors, %d warnings; %d segments; release of %d objects", checks.Errors, checks.Warnings, segments, st.Release.Objects)
	// Findings of every check run: none after translation, then the
	// warnings of the edited draft.
	wm.equal(t, "pressroom_qa_findings_total", map[string]string{"check": "untranslated", "severity": "warning"}, 1)
	wm.equal(t, "pressroom_qa_findings_total", map[string]string{"severity": "warning"}, float64(checks.Warnings))
	wm.equal(t, "pressroom_qa_findings_total", map[string]string{"severity": "error"}, float64(checks.Errors))

	// The server's: requests per route and status, reports per stage.
	sm := scrape(t, server+"/metrics")
	sm.equal(t, "pressroom_http_requests_total", map[string]string{"route": "POST /api/reports", "code": "201"}, 1)
	sm.atLeast(t, "pressroom_http_requests_total", map[string]string{"route": "GET /api/reports/{slug}", "code": "200"}, 2)
	sm.equal(t, "pressroom_http_requests_total", map[string]string{"route": "POST /api/tasks/{slug}/{locale}/approve", "code": "200"}, 1)
	sm.equal(t, "pressroom_http_requests_total", map[string]string{"route": "PUT /api/tasks/{slug}/{locale}/segments/{id}", "code": "200"}, 1)
	sm.atLeast(t, "pressroom_reports", map[string]string{"stage": "published"}, 1)
	sm.atLeast(t, "temporal_request", map[string]string{"operation": "StartWorkflowExecution"}, 1)

	for name, p := range map[string]*workerProc{"worker": worker, "serve": serve} {
		if err := p.stop(); err != nil {
			t.Fatalf("%s stop: %v", name, err)
		}
	}
	checkTrace(t, otlp)
	checkLogs(t, "worker", worker.logs.String(), true, editorToken, claireToken, webhookSecret, apiKey, env.cfg.S3.SecretKey)
	checkLogs(t, "serve", serve.logs.String(), false, editorToken, claireToken, webhookSecret, apiKey, env.cfg.S3.SecretKey)
}

// checkTrace: the request that submitted the report and everything it
// caused — the workflow start, both workflows, the activities on the
// worker, down to Publish — are one trace across the two processes.
func checkTrace(t *testing.T, otlp *otlpReceiver) {
	t.Helper()
	spans := otlp.all()
	var submit *otlpSpan
	for i, sp := range spans {
		if sp.name == "POST /api/reports" {
			submit = &spans[i]
		}
	}
	if submit == nil {
		t.Fatalf("no server span for POST /api/reports among %d spans", len(spans))
	}
	inTrace := map[string]string{} // span name → service
	for _, sp := range spans {
		if sp.traceID == submit.traceID {
			inTrace[sp.name] = sp.service
		}
	}
	// The first draft is Translate, or TranslateReport for every target at once.
	if inTrace["RunActivity:Translate"] != "pressroom-worker" && inTrace["RunActivity:TranslateReport"] != "pressroom-worker" {
		t.Errorf("trace %s: no RunActivity:Translate or RunActivity:TranslateReport from pressroom-worker; the trace has %v", submit.traceID, inTrace)
	}
	for name, service := range map[string]string{
		"POST /api/reports":                 "pressroom-serve",
		"StartWorkflow:ReportWorkflow":      "pressroom-serve",
		"RunWorkflow:ReportWorkflow":        "pressroom-worker",
		"StartChildWorkflow:LocaleWorkflow": "pressroom-worker",
		"RunWorkflow:LocaleWorkflow":        "pressroom-worker",
		"RunActivity:Publish":               "pressroom-worker",
	} {
		if got, ok := inTrace[name]; !ok || got != service {
			t.Errorf("trace %s: span %q from %q, want it from %s; the trace has %v", submit.traceID, name, got, service, inTrace)
		}
	}
}

type otlpSpan struct{ traceID, name, service string }

// otlpReceiver is an OTLP/HTTP traces endpoint that keeps what it gets.
type otlpReceiver struct {
	url   string
	mu    sync.Mutex
	spans []otlpSpan
}

func startOTLPReceiver(t *testing.T) *otlpReceiver {
	t.Helper()
	rc := &otlpReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" {
			http.NotFound(w, r)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		for _, rs := range req.GetResourceSpans() {
			service := ""
			for _, a := range rs.GetResource().GetAttributes() {
				if a.GetKey() == "service.name" {
					service = a.GetValue().GetStringValue()
				}
			}
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					rc.spans = append(rc.spans, otlpSpan{traceID: hex.EncodeToString(sp.GetTraceId()), name: sp.GetName(), service: service})
				}
			}
		}
		rc.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	rc.url = srv.URL
	return rc
}

func (rc *otlpReceiver) all() []otlpSpan {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]otlpSpan(nil), rc.spans...)
}

// checkLogs: every line is a JSON object; lines about a workflow carry
// its run and the report's slug; no secret appears anywhere.
func checkLogs(t *testing.T, name, logs string, wantWorkflowLines bool, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("%s log contains a secret (%.6s…)", name, s)
		}
	}
	withWorkflow := 0
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Errorf("%s log line is not JSON: %s", name, line)
			continue
		}
		if _, ok := rec["WorkflowID"]; ok {
			withWorkflow++
			if rec["RunID"] == nil || rec["slug"] == nil {
				t.Errorf("%s log line about a workflow without RunID or slug: %s", name, line)
			}
			if strings.Count(string(line), `"slug":`) != 1 {
				t.Errorf("%s log line with the slug twice: %s", name, line)
			}
		}
	}
	if wantWorkflowLines && withWorkflow == 0 {
		t.Errorf("%s log has no line about a workflow:\n%s", name, logs)
	}
	if t.Failed() {
		t.Logf("%s log:\n%s", name, logs)
	}
}

func httpGet(url, token string) (int, string) {
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// samples are scraped Prometheus samples: name → label sets and values.
type samples map[string][]sample

type sample struct {
	labels map[string]string
	value  float64
}

func scrape(t *testing.T, url string) samples {
	t.Helper()
	code, body := httpGet(url, "")
	if code != 200 {
		t.Fatalf("%s: %d %s", url, code, body)
	}
	out := samples{}
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest := line, ""
		labels := map[string]string{}
		if i := strings.IndexByte(line, '{'); i >= 0 {
			j := strings.LastIndexByte(line, '}')
			name, rest = line[:i], line[j+1:]
			for _, kv := range splitLabels(line[i+1 : j]) {
				k, v, _ := strings.Cut(kv, "=")
				labels[k] = strings.Trim(v, `"`)
			}
		} else {
			name, rest, _ = strings.Cut(line, " ")
		}
		v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
		if err != nil {
			t.Fatalf("%s: bad sample %q", url, line)
		}
		out[name] = append(out[name], sample{labels, v})
	}
	return out
}

// splitLabels splits a="x",b="y" at the commas between pairs.
func splitLabels(s string) []string {
	var out []string
	inQuote, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// sum adds the samples of name whose labels include want.
func (s samples) sum(name string, want map[string]string) (float64, bool) {
	total, found := 0.0, false
next:
	for _, smp := range s[name] {
		for k, v := range want {
			if smp.labels[k] != v {
				continue next
			}
		}
		total += smp.value
		found = true
	}
	return total, found
}

func (s samples) equal(t *testing.T, name string, labels map[string]string, want float64) {
	t.Helper()
	got, found := s.sum(name, labels)
	if (!found && want != 0) || got != want {
		t.Errorf("%s%v = %v (found %v), want %v", name, labels, got, found, want)
	}
}

func (s samples) atLeast(t *testing.T, name string, labels map[string]string, want float64) {
	t.Helper()
	got, found := s.sum(name, labels)
	if !found || got < want {
		t.Errorf("%s%v = %v (found %v), want at least %v", name, labels, got, found, want)
	}
}
