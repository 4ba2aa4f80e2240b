package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/workflows"
)

// Hostile requests against the real API, Temporal and S3: a slug that
// names a locale workflow, a 403 that would name the assignee, segment
// edits over the limits. Each is refused and changes nothing.
func TestAPIHostileRequests(t *testing.T) {
	a := startAPI(t, "it-api-hostile")
	const slug = "api-hostile"
	a.submit(t, slug, "to=fr&reviewer=fr:claire")
	waitInReview(t, slug, "fr")
	ctx := context.Background()
	before, err := env.svc.LocaleStatus(ctx, slug, "fr")
	if err != nil {
		t.Fatal(err)
	}

	// report/api-hostile/fr is the French locale workflow's ID: an escaped
	// "/" in the slug must not reach it.
	code, body := a.call(t, "edith", "POST", "/api/reports/"+slug+"%2Ffr/cancel", nil)
	if code != http.StatusBadRequest || !strings.Contains(string(body), "path parameter slug") {
		t.Fatalf("cancel %s%%2Ffr: %d %s", slug, code, body)
	}
	desc, err := env.client.DescribeWorkflow(ctx, workflows.LocaleID(slug, "fr"), "")
	if err != nil {
		t.Fatal(err)
	}
	if st := desc.Status; st != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("the fr locale workflow is %s after the refused cancel", st)
	}

	// bernard translates French but the task is claire's: he is told no,
	// not whose it is.
	code, body = a.call(t, "bernard", "GET", "/api/tasks/"+slug+"/fr", nil)
	if code != http.StatusForbidden || strings.Contains(string(body), "claire") {
		t.Fatalf("bernard: %d %s", code, body)
	}

	// A 1 MiB segment is over the body limit; one just over the segment
	// limit fits the body and is refused by the limit, naming it.
	huge, _ := json.Marshal(map[string]string{"text": strings.Repeat("x", 1<<20)})
	if code, body := a.call(t, "claire", "PUT", "/api/tasks/"+slug+"/fr/segments/title", huge); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("1 MiB edit: %d %s", code, body)
	}
	long, _ := json.Marshal(map[string]string{"text": strings.Repeat("é", report.MaxTranslationChars+1)})
	code, body = a.call(t, "claire", "PUT", "/api/tasks/"+slug+"/fr/segments/title", long)
	if code != http.StatusBadRequest || !strings.Contains(string(body), "the limit is 20000 characters per segment") {
		t.Fatalf("long edit: %d %s", code, body)
	}
	after, err := env.svc.LocaleStatus(ctx, slug, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if after.Draft.SHA256 != before.Draft.SHA256 || after.Stage != workflows.StageInReview {
		t.Fatalf("the refused edits changed the task: %+v → %+v", before.Draft, after.Draft)
	}

	// The security headers come from the server.
	req, _ := http.NewRequest("GET", a.url+"/api/tasks", nil)
	req.Header.Set("Authorization", "Bearer "+a.tokens["claire"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "X-Request-Id"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}

	a.must(t, http.StatusAccepted, "edith", "POST", "/api/reports/"+slug+"/cancel", nil)
}
