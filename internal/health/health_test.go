package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestProbes(t *testing.T) {
	s3Down := errors.New("dial tcp 127.0.0.1:7070: connection refused")
	var s3Err error
	mux := http.NewServeMux()
	Register(mux,
		Check{"temporal", func(context.Context) error { return nil }},
		Check{"s3", func(context.Context) error { return s3Err }},
	)
	get := func(path string) (int, map[string]any) {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %v: %s", path, err, rec.Body)
		}
		return rec.Code, body
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Fatalf("ready with every check ok: %d", code)
	}
	s3Err = s3Down
	code, body := get("/readyz")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with S3 down: %d", code)
	}
	checks := body["checks"].(map[string]any)
	if checks["s3"] != "failing" || checks["temporal"] != "ok" {
		t.Fatalf("checks should name what failed: %v", checks)
	}
	if strings.Contains(fmt.Sprint(body), s3Down.Error()) {
		t.Fatalf("the error itself reached the caller: %v", body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("healthz is liveness only, whatever the dependencies: %d", code)
	}
}

func TestProbeTimeout(t *testing.T) {
	res := Run(context.Background(), []Check{{"slow", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }}})
	if res["slow"] != context.DeadlineExceeded.Error() {
		t.Fatalf("a hanging probe should time out: %v", res)
	}
}
