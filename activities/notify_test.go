package activities_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/webhook"
	"github.com/pressroom/pressroom/workflows"
)

// receiver is a webhook endpoint answering with status and recording
// what it was sent.
type receiver struct {
	mu      sync.Mutex
	status  int
	headers []http.Header
	bodies  [][]byte
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.headers, r.bodies = append(r.headers, req.Header.Clone()), append(r.bodies, b)
	status := r.status
	r.mu.Unlock()
	w.WriteHeader(status)
}

func notify(t *testing.T, sender *webhook.Sender, e workflows.Event) error {
	t.Helper()
	acts := &activities.Activities{Webhook: sender}
	_, err := activityEnv(acts).ExecuteActivity(acts.Notify, e)
	return err
}

// Notify signs the event and names it by its ID, so the receiver can
// verify it and process it once; a receiver's refusal (4xx) is final, its
// trouble (5xx, 429) is retried; a worker without a webhook says so.
func TestNotify(t *testing.T) {
	secret := []byte("0123456789abcdef0123")
	e := workflows.Event{ID: "summer-hours/fr/approved/1", Type: "locale.approved", Slug: "summer-hours", Locale: "fr", By: "claire", At: publishedAt}
	rec := &receiver{status: http.StatusNoContent}
	srv := httptest.NewServer(rec)
	defer srv.Close()

	if err := notify(t, &webhook.Sender{URL: srv.URL, Secret: secret}, e); err != nil {
		t.Fatal(err)
	}
	if len(rec.bodies) != 1 {
		t.Fatalf("%d deliveries, want 1", len(rec.bodies))
	}
	h, body := rec.headers[0], rec.bodies[0]
	if h.Get(webhook.HeaderIdempotency) != e.ID || h.Get(webhook.HeaderEvent) != e.Type || !strings.Contains(string(body), `"slug":"summer-hours"`) {
		t.Fatalf("delivery headers %v body %s", h, body)
	}
	if err := webhook.Verify(secret, h, body, time.Now(), time.Minute); err != nil {
		t.Fatalf("the receiver cannot verify the delivery: %v", err)
	}

	for status, final := range map[int]bool{http.StatusBadRequest: true, http.StatusGone: true, http.StatusTooManyRequests: false, http.StatusServiceUnavailable: false} {
		rec.mu.Lock()
		rec.status = status
		rec.mu.Unlock()
		err := notify(t, &webhook.Sender{URL: srv.URL, Secret: secret}, e)
		if app := appError(t, err); app.NonRetryable() != final || (final && app.Type() != workflows.ErrBadInput) {
			t.Errorf("HTTP %d: type %s non-retryable %v, want non-retryable %v", status, app.Type(), app.NonRetryable(), final)
		}
	}

	err := notify(t, nil, e)
	if app := appError(t, err); !app.NonRetryable() || !strings.Contains(err.Error(), "PRESSROOM_WEBHOOK_URL") || !strings.Contains(err.Error(), e.ID) {
		t.Fatalf("no webhook configured: %v", err)
	}
}
