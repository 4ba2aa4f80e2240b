package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
)

// newTestAPI has users but no service: a request that got past the checks
// under test to the service would panic, failing the test.
func newTestAPI(t *testing.T) (*API, string, string) {
	t.Helper()
	users := &auth.Users{}
	editor, err := users.Add("edith", auth.RoleEditor, nil)
	if err != nil {
		t.Fatal(err)
	}
	translator, err := users.Add("claire", auth.RoleTranslator, []string{"fr"})
	if err != nil {
		t.Fatal(err)
	}
	return &API{Svc: &service.Service{}, Users: users, Log: slog.New(slog.DiscardHandler)}, editor, translator
}

func do(t *testing.T, h http.Handler, method, target, token string, body io.Reader) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: body %q: %v", method, target, rec.Body, err)
		}
	}
	return rec, out
}

// An escaped "/" in a slug must not reach the service: report/foo/fr is
// the French locale workflow of report foo, and cancelling it by that name
// would cancel the locale behind the report's back.
func TestPathParametersAreValidated(t *testing.T) {
	api, editor, translator := newTestAPI(t)
	h := Routes(nil, api)
	for _, c := range []struct{ method, target, token, want string }{
		{"POST", "/api/reports/foo%2Ffr/cancel", editor, `path parameter slug: "foo/fr" is not a URL-safe slug`},
		{"POST", "/api/reports/Foo/approve", editor, "path parameter slug"},
		{"GET", "/api/reports/" + strings.Repeat("a", 101), editor, "slug is 101 characters long"},
		{"GET", "/api/reports/foo%2F..%2Fbar/audit", editor, "path parameter slug"},
		{"GET", "/api/tasks/foo/fr%2Fx", translator, "path parameter locale"},
		{"POST", "/api/tasks/foo%2Ffr/fr/approve", translator, "path parameter slug"},
		{"PUT", "/api/tasks/foo/fr/segments/p-1%2F..", translator, `path parameter id: segment ID "p-1/.." is not valid`},
		{"PUT", "/api/tasks/foo/fr/segments/" + strings.Repeat("p", 65), translator, "path parameter id"},
	} {
		rec, body := do(t, h, c.method, c.target, c.token, strings.NewReader(`{"text":"x"}`))
		if rec.Code != http.StatusBadRequest || !strings.Contains(body["error"].(string), c.want) {
			t.Errorf("%s %s: %d %v, want 400 saying %q", c.method, c.target, rec.Code, body["error"], c.want)
		}
	}
}

// Every route bounds its body: a declared length over the limit is
// refused before anything is read, an undeclared one when the limit is
// reached, both with 413 and the limit.
func TestRequestBodiesAreBounded(t *testing.T) {
	api, editor, translator := newTestAPI(t)
	h := Routes(nil, api)
	big := func(n int) io.Reader {
		return io.MultiReader(strings.NewReader("# T\n\n"), bytes.NewReader(bytes.Repeat([]byte("x"), n)))
	}
	for _, c := range []struct {
		method, target, token string
		body                  io.Reader
		length                int64
		limit                 float64
	}{
		{"POST", "/api/reports?to=fr", editor, big(report.MaxSize), -1, report.MaxSize},
		{"POST", "/api/reports?to=fr", editor, big(report.MaxSize), report.MaxSize + 6, report.MaxSize},
		{"POST", "/api/reports/foo/cancel", editor, big(MaxSmallBody), MaxSmallBody + 6, MaxSmallBody},
		{"PUT", "/api/tasks/foo/fr/segments/title", translator, big(MaxSegmentBody), MaxSegmentBody + 6, MaxSegmentBody},
		{"PUT", "/api/tasks/foo/fr/xliff", translator, big(MaxXLIFFBody), MaxXLIFFBody + 6, MaxXLIFFBody},
		{"POST", "/api/tasks/foo/fr/reject", translator, big(MaxSmallBody), MaxSmallBody + 6, MaxSmallBody},
	} {
		req := httptest.NewRequest(c.method, c.target, c.body)
		req.ContentLength = c.length
		req.Header.Set("Authorization", "Bearer "+c.token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var body map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusRequestEntityTooLarge || body["limit"] != c.limit || !strings.Contains(body["error"].(string), "limit") {
			t.Errorf("%s %s (length %d): %d %v, want 413 with limit %v", c.method, c.target, c.length, rec.Code, body, c.limit)
		}
	}
	if _, err := readBody(httptest.NewRequest("POST", "/", strings.NewReader("ok")), "x"); err != nil {
		t.Fatal(err)
	}
}

// Uploads beyond MaxUploads are answered 503 at once, before their body
// is read; the slot is free again when the upload ends.
func TestConcurrentUploadsAreBounded(t *testing.T) {
	api, editor, _ := newTestAPI(t)
	api.MaxUploads = 1
	srv := httptest.NewServer(Routes(nil, api))
	defer srv.Close()

	pr, pw := io.Pipe()
	first := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", srv.URL+"/api/reports?to=fr", pr)
		req.Header.Set("Authorization", "Bearer "+editor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	if _, err := pw.Write([]byte("# T\n\n")); err != nil { // the server is reading it now
		t.Fatal(err)
	}
	post := func() *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+"/api/reports?to=fr", strings.NewReader("# T\n\nB.\n"))
		req.Header.Set("Authorization", "Bearer "+editor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("second upload: %d, want 503 with Retry-After", resp.StatusCode)
	}
	// End the first upload over its limit so it never reaches the service.
	go func() {
		_, _ = pw.Write(bytes.Repeat([]byte("x"), report.MaxSize))
		_ = pw.Close()
	}()
	select {
	case code := <-first:
		if code != http.StatusRequestEntityTooLarge {
			t.Fatalf("first upload: %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("first upload never ended")
	}
	// The slot is free again: this request is read (and refused as too
	// large for a different reason than 503).
	req, _ := http.NewRequest("POST", srv.URL+"/api/reports?to=fr", bytes.NewReader(bytes.Repeat([]byte("x"), report.MaxSize+1)))
	req.Header.Set("Authorization", "Bearer "+editor)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("after the first upload: %d", resp.StatusCode)
	}
}

// A 502 carries a request ID and a generic message; the error itself,
// which names hosts, buckets and keys, goes only to the log.
func TestInternalErrorsAreLoggedNotReturned(t *testing.T) {
	var logged bytes.Buffer
	api := &API{Log: slog.New(slog.NewJSONHandler(&logged, nil))}
	secret := "operation error S3: GetObject, https://minio.internal:9000/pressroom-private/drafts/x: dial tcp 10.0.3.7:9000: connection refused"
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/reports/x", nil)
	Secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { api.fail(w, r, errors.New(secret)) })).ServeHTTP(rec, req)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	id, _ := body["request_id"].(string)
	if rec.Code != http.StatusBadGateway || id == "" || rec.Header().Get("X-Request-Id") != id {
		t.Fatalf("%d %v, header %q", rec.Code, body, rec.Header().Get("X-Request-Id"))
	}
	for _, leak := range []string{"minio", "10.0.3.7", "pressroom-private", "dial tcp"} {
		if strings.Contains(rec.Body.String(), leak) {
			t.Errorf("the reply shows %q: %s", leak, rec.Body)
		}
	}
	if !strings.Contains(logged.String(), id) || !strings.Contains(logged.String(), "10.0.3.7") {
		t.Errorf("log lacks the request ID or the error: %s", logged.String())
	}
}

// The reader site never redirects off-site: "/\evil.example/x" (a
// backslash reads as "/" in browsers) and "//evil.example" are not found.
func TestSiteDoesNotRedirectOffSite(t *testing.T) {
	h := Routes(nil, &API{})
	for _, target := range []string{"/%5Cevil.example/x", "/%5C%5Cevil.example", "//evil.example/x", "/fr/%5Cevil.example", "/%2F%2Fevil.example", "/fr/x%0d%0aSet-Cookie:a=b", "/fr/%E2%80%AE"} {
		rec, _ := do(t, h, "GET", target, "", nil)
		loc := rec.Header().Get("Location")
		switch {
		case loc == "" && rec.Code == http.StatusNotFound:
		case rec.Code/100 == 3 && len(loc) > 1 && loc[0] == '/' && loc[1] != '/' && loc[1] != '\\':
			// Go's ServeMux cleans "//x" to "/x": on this site.
		default:
			t.Errorf("GET %s: %d Location %q, want 404 or a redirect on this site", target, rec.Code, loc)
		}
	}
	// A page path without its slash is still redirected, on the site.
	rec, _ := do(t, h, "GET", "/fr/my-report", "", nil)
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/fr/my-report/" {
		t.Errorf("GET /fr/my-report: %d %q", rec.Code, rec.Header().Get("Location"))
	}
}

// The servers send the security headers themselves, on every response.
func TestSecurityHeaders(t *testing.T) {
	h := Routes(nil, &API{Users: &auth.Users{}})
	for _, target := range []string{"/api/tasks", "/api/nope", "/fr/x", "/%5Cx"} {
		rec, _ := do(t, h, "GET", target, "", nil)
		want := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		}
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", target, k, got, v)
			}
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.HasPrefix(target, "/api/") && !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("GET %s: CSP %q", target, csp)
		}
	}
}

func TestNewServerHasTimeouts(t *testing.T) {
	s := NewServer(":0", http.NotFoundHandler())
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= RequestTimeout || s.IdleTimeout <= 0 || s.MaxHeaderBytes <= 0 {
		t.Fatalf("%+v", s)
	}
}

// Every handler runs with a deadline, so a request never waits on an
// Update for ever; running out of it is a 504 that says the action may
// still complete.
func TestRequestsHaveADeadline(t *testing.T) {
	api, editor, _ := newTestAPI(t)
	var left time.Duration
	h := api.auth(func(w http.ResponseWriter, r *http.Request, u auth.User) error {
		d, ok := r.Context().Deadline()
		if !ok {
			t.Error("no deadline")
		}
		left = time.Until(d)
		return context.DeadlineExceeded
	}, auth.User.IsEditor, "editors")
	rec, body := do(t, Secure(h), "GET", "/api/reports", editor, nil)
	if left <= 0 || left > RequestTimeout {
		t.Errorf("deadline in %v, want within %v", left, RequestTimeout)
	}
	if rec.Code != http.StatusGatewayTimeout || !strings.Contains(body["error"].(string), "may still complete") || body["request_id"] == "" {
		t.Errorf("%d %v", rec.Code, body)
	}
}
