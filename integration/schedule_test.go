package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/workflows"
)

// Issue 10, embargo: a report approved before its publish time is not
// readable until then; the editor moves the time while it waits (CLI and
// API), and once it has published the schedule is closed.
func TestScheduleEmbargoesUntilItsTime(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	const slug, queue = "schedule-embargo", "it-schedule"
	a := startAPI(t, queue)
	svc := &service.Service{Temporal: env.client, Store: env.store, TaskQueue: queue}

	if code, b := a.call(t, "edith", "POST", "/api/reports?slug="+slug+"&to=fr&publish_at=tomorrow", []byte(apiReport), "Content-Type", "text/markdown"); code != http.StatusBadRequest || !strings.Contains(string(b), "RFC 3339") {
		t.Errorf("a bad publish_at: %d %s", code, b)
	}
	first := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	b := a.must(t, http.StatusCreated, "edith", "POST", "/api/reports?slug="+slug+"&to=fr&publish_at="+url.QueryEscape(first.Format(time.RFC3339)), []byte(apiReport), "Content-Type", "text/markdown")
	var sub service.SubmitResult
	if err := json.Unmarshal(b, &sub); err != nil || !sub.PublishAt.Equal(first) {
		t.Fatalf("submit answered %s (%v)", b, err)
	}
	revInReview(t, ctx, svc, slug, "fr")
	revApprove(t, ctx, svc, slug, "fr")
	eventually(t, time.Minute, "scheduled", func() error {
		st, err := svc.Status(ctx, slug)
		if err != nil {
			return err
		}
		if st.Stage != workflows.StageScheduled || !st.PublishAt.Equal(first) {
			return fmt.Errorf("stage %s at %v", st.Stage, st.PublishAt)
		}
		return nil
	})
	dir := t.TempDir()
	status := mustPressroom(t, dir, queue, "status", slug)
	t.Logf("pressroom status %s:\n%s", slug, status)
	if !strings.Contains(status, "stage: scheduled") || !strings.Contains(status, "publishes at "+first.Format(time.RFC3339)) {
		t.Errorf("status does not show the schedule:\n%s", status)
	}
	reports, err := svc.Reports(ctx, string(workflows.StageScheduled))
	if err != nil || !containsSlug(reports, slug) {
		t.Errorf("the visibility store does not list %s as scheduled: %+v %v", slug, reports, err)
	}

	site := httptest.NewServer(web.Routes(env.store, &web.API{}))
	defer site.Close()
	get := func() int {
		resp, err := http.Get(site.URL + "/fr/" + slug + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(); code != http.StatusNotFound {
		t.Errorf("the embargoed page answers %d before its time", code)
	}
	if err := env.store.GetJSON(ctx, store.LatestKey(slug), &release.Latest{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a release exists before its time: %v", err)
	}

	// Refused moves, then a real one through the API and the CLI.
	if code, b := a.call(t, "edith", "POST", "/api/reports/"+slug+"/schedule", []byte(`{"at":"2020-01-01T00:00:00Z"}`)); code != http.StatusBadRequest || !strings.Contains(string(b), "not in the future") {
		t.Errorf("a past time: %d %s", code, b)
	}
	if code, _ := a.call(t, "claire", "POST", "/api/reports/"+slug+"/schedule", []byte(`{"clear":true}`)); code != http.StatusForbidden {
		t.Errorf("a translator moved the schedule: %d", code)
	}
	later := first.Add(time.Hour)
	b = a.must(t, http.StatusOK, "edith", "POST", "/api/reports/"+slug+"/schedule", fmt.Appendf(nil, `{"at":%q}`, later.Format(time.RFC3339)))
	var moved struct {
		Stage     workflows.Stage `json:"stage"`
		PublishAt time.Time       `json:"publish_at"`
	}
	if err := json.Unmarshal(b, &moved); err != nil || moved.Stage != workflows.StageScheduled || !moved.PublishAt.Equal(later) {
		t.Errorf("schedule answered %s (%v)", b, err)
	}
	if r := pressroom(t, dir, queue, "schedule", slug, "--at", "next tuesday", "--as", "edith"); r.code != 2 {
		t.Errorf("a bad --at: exit %d %s", r.code, r.stderr)
	}
	soon := time.Now().Add(6 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
	out := mustPressroom(t, dir, queue, "schedule", slug, "--at", soon.In(time.FixedZone("CET", 3600)).Format(time.RFC3339), "--as", "edith")
	t.Logf("pressroom schedule:\n%s", out)
	if !strings.Contains(out, "publishes at "+soon.Format(time.RFC3339)+" (set by edith; stage scheduled)") {
		t.Errorf("schedule said %q", out)
	}
	if code := get(); code != http.StatusNotFound {
		t.Errorf("the page answers %d before the moved time", code)
	}
	rel, err := svc.Wait(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if code := get(); code != http.StatusOK {
		t.Errorf("the page answers %d after its time", code)
	}
	var m release.Manifest
	if err := env.store.GetJSON(ctx, rel.Manifest.Key, &m); err != nil {
		t.Fatal(err)
	}
	if m.PublishedAt.Before(soon) || m.PublishedAt.After(soon.Add(time.Minute)) {
		t.Errorf("published at %v, scheduled for %v", m.PublishedAt, soon)
	}
	r := pressroom(t, dir, queue, "schedule", slug, "--clear", "--as", "edith")
	if r.code != 3 || !strings.Contains(r.stderr, "has already ended") {
		t.Errorf("schedule after publishing: exit %d %s", r.code, r.stderr)
	}
}

func containsSlug(list []service.ReportSummary, slug string) bool {
	for _, r := range list {
		if r.Slug == slug {
			return true
		}
	}
	return false
}
