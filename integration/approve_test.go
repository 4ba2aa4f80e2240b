package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/service"
)

// An approval is bound to the draft the approver saw: in a pool task, a
// colleague's edit after Bernard read the draft makes his approval of the
// old draft a 409 naming the new one; approving the current draft works.
// A made-up segment ID is refused before anything is stored.
func TestAPIApprovalBoundToDraft(t *testing.T) {
	a := startAPI(t, "it-api-approve-draft")
	const slug = "api-approve-draft"
	a.submit(t, slug, "to=fr")
	waitInReview(t, slug, "fr")
	var task service.TaskDetail
	json.Unmarshal(a.must(t, 200, "bernard", "GET", "/api/tasks/"+slug+"/fr", nil), &task)
	seen := task.Status.Draft.SHA256
	a.must(t, 200, "claire", "PUT", "/api/tasks/"+slug+"/fr/segments/title", []byte(`{"text": "Titre de Claire"}`))

	code, body := a.call(t, "bernard", "POST", "/api/tasks/"+slug+"/fr/approve", []byte(fmt.Sprintf(`{"base_draft": %q}`, seen)))
	var c map[string]any
	json.Unmarshal(body, &c)
	if code != http.StatusConflict || c["current_draft"] == seen || c["current_draft"] == "" || c["changed_by"] != "claire" {
		t.Fatalf("approval of the old draft: %d %s", code, body)
	}
	code, body = a.call(t, "bernard", "PUT", "/api/tasks/"+slug+"/fr/segments/p-0000000000", []byte(`{"text": "x"}`))
	if code != http.StatusConflict {
		t.Fatalf("edit of an unknown segment: %d %s", code, body)
	}
	json.Unmarshal(a.must(t, 200, "bernard", "GET", "/api/tasks/"+slug+"/fr", nil), &task)
	if task.Status.Edits != 1 {
		t.Errorf("edits after the refusals: %d, want 1", task.Status.Edits)
	}
	a.must(t, 200, "bernard", "POST", "/api/tasks/"+slug+"/fr/approve", []byte(fmt.Sprintf(`{"base_draft": %q}`, task.Status.Draft.SHA256)))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rel, err := env.svc.Wait(ctx, slug)
	if err != nil || rel.Version < 1 {
		t.Fatalf("publish after the approval: %+v, %v", rel, err)
	}
}
