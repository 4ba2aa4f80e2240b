package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
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

// The per-locale policy: each approval publishes a release with that
// locale and those approved before it; readers get French before Arabic
// is approved.
func TestSchedulePerLocalePublishesEachApproval(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const slug, queue = "per-locale-flash", "it-per-locale"
	svc := inProcessWorker(t, queue)
	text := strings.Replace(apiReport, "---\ntitle:", "---\nslug: "+slug+"\ntitle:", 1)
	if _, err := svc.Submit(ctx, service.SubmitRequest{Name: "flash.md", Data: []byte(text), Options: report.Options{Targets: []string{"fr", "ar"}},
		Policy: workflows.PolicyPerLocale}); err != nil {
		t.Fatal(err)
	}
	revInReview(t, ctx, svc, slug, "fr")
	revInReview(t, ctx, svc, slug, "ar")
	revApprove(t, ctx, svc, slug, "fr")
	var m release.Manifest
	eventually(t, time.Minute, "v1 with fr", func() error {
		var l release.Latest
		if err := env.store.GetJSON(ctx, store.LatestKey(slug), &l); err != nil {
			return err
		}
		return env.store.GetJSON(ctx, l.Manifest, &m)
	})
	if m.Version != 1 || strings.Join(m.Locales, ",") != "en,fr" {
		t.Errorf("first release v%d has %v, want v1 with en,fr", m.Version, m.Locales)
	}
	if _, err := env.store.Get(ctx, store.SitePageKey("ar", slug)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the Arabic page exists before Arabic is approved: %v", err)
	}
	// The site serves the pages just before the Publish activity returns.
	eventually(t, time.Minute, "status after the first approval", func() error {
		st, err := svc.Status(ctx, slug)
		if err != nil {
			return err
		}
		if st.Stage != workflows.StageInReview || st.Locales[0].Stage != workflows.StagePublished || st.Release == nil || st.Release.Version != 1 {
			return fmt.Errorf("report %s, fr %s, release %+v", st.Stage, st.Locales[0].Stage, st.Release)
		}
		return nil
	})
	revApprove(t, ctx, svc, slug, "ar")
	rel, err := svc.Wait(ctx, slug)
	if err != nil || rel.Version != 2 {
		t.Fatalf("second release: %+v %v", rel, err)
	}
	m2 := verifyRelease(t, slug, 2)
	if strings.Join(m2.Locales, ",") != "en,fr,ar" {
		t.Errorf("second release has %v, want en,fr,ar", m2.Locales)
	}
	if string(mustGet(t, store.SitePageKey("ar", slug))) != string(mustGet(t, store.ReleasePageKey(slug, 2, "ar"))) {
		t.Error("the Arabic page is not v2's")
	}

	// A per-locale revision: French goes out first (v3, without Arabic);
	// Arabic, rejected, is translated again and still carries from v2,
	// not from v3.
	revised := strings.Replace(text, "40 seats", "60 seats", 1)
	if _, err := svc.Submit(ctx, service.SubmitRequest{Name: "flash.md", Data: []byte(revised), Options: report.Options{Targets: []string{"fr", "ar"}},
		Policy: workflows.PolicyPerLocale}); err != nil {
		t.Fatal(err)
	}
	revInReview(t, ctx, svc, slug, "fr")
	revInReview(t, ctx, svc, slug, "ar")
	revApprove(t, ctx, svc, slug, "fr")
	eventually(t, time.Minute, "v3 with fr", func() error {
		var l release.Latest
		if err := env.store.GetJSON(ctx, store.LatestKey(slug), &l); err != nil || l.Version != 3 {
			return fmt.Errorf("latest v%d %v", l.Version, err)
		}
		return nil
	})
	if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "ar", Reviewer: "rev-ar", Action: workflows.ActionReject, Comment: "again"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Minute, "ar round 2", func() error {
		ls, err := svc.LocaleStatus(ctx, slug, "ar")
		if err != nil || ls.Round != 2 || ls.Stage != workflows.StageInReview {
			return fmt.Errorf("round %d stage %s %v", ls.Round, ls.Stage, err)
		}
		if ls.Review != 1 || ls.CarriedFrom != 2 {
			t.Errorf("ar round 2: %d to review, carried from v%d; want 1 from v2", ls.Review, ls.CarriedFrom)
		}
		return nil
	})
	revApprove(t, ctx, svc, slug, "ar")
	if rel, err := svc.Wait(ctx, slug); err != nil || rel.Version != 4 {
		t.Fatalf("revision's last release: %+v %v", rel, err)
	}
	// v3 had no Arabic: v4's Arabic provenance continues v2's.
	before, err := report.Parse("flash.md", []byte(text), report.Options{Targets: []string{"ar"}})
	if err != nil {
		t.Fatal(err)
	}
	after, err := report.Parse("flash.md", []byte(revised), report.Options{Targets: []string{"ar"}})
	if err != nil {
		t.Fatal(err)
	}
	changed := revOnlyIn(after, before)
	for id, sp := range revProvenance(t, slug, 4, "ar") {
		want := 2
		if slices.Contains(changed, id) {
			want = 4
		}
		if sp.ApprovedIn != want {
			t.Errorf("v4 ar %s first approved in v%d, want v%d", id, sp.ApprovedIn, want)
		}
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

// The workbench's submit form takes a publish time; a bad one is shown
// as a problem and starts nothing; the report page shows the stage
// scheduled and the time. Screenshots in the test's artifact folder.
func TestScheduleInWorkbench(t *testing.T) {
	chromium := needChromium(t)
	const slug, queue = "wb-embargo", "it-schedule-wb"
	svc := inProcessWorker(t, queue)
	users := testUsers(t, testUser{"edith", auth.RoleEditor, nil})
	site := workbenchSite(t, svc, users)

	ctx := headless(t, chromium, 1280, 900, 3*time.Minute)
	dir := t.ArtifactDir()
	t.Logf("screenshots in %s", dir)
	var n int
	edith := &browser{t: t, name: "edith", ctx: ctx, dir: dir, n: &n}
	edith.signIn(site.URL, "edith", "pw-edith-2026")

	text := strings.Replace(apiReport, "---\ntitle:", "---\nslug: "+slug+"\ntitle:", 1)
	edith.run(chromedp.Navigate(site.URL+"/workbench/reports/new"), chromedp.WaitVisible(`#publish_at`),
		chromedp.SetValue(`#text`, text), chromedp.Click(`input[name=target][value=fr]`),
		chromedp.SetValue(`#publish_at`, "21 March at two"), chromedp.Submit(`#text`), chromedp.WaitVisible(`#problems`))
	problems := edith.eval(`document.getElementById("problems").innerText`)
	edith.shot("publish-at-refused")
	if !strings.Contains(problems, "publish at") || !strings.Contains(problems, "RFC 3339") {
		t.Errorf("a bad publish time: problems %q", problems)
	}
	if _, err := svc.Status(context.Background(), slug); err == nil {
		t.Fatal("a report with a bad publish time started")
	}
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	edith.run(chromedp.SetValue(`#publish_at`, at.In(time.FixedZone("CET", 3600)).Format(time.RFC3339)))
	edith.shot("submit-scheduled")
	edith.run(chromedp.Submit(`#text`), chromedp.WaitVisible(`#report-stage`))
	revInReview(t, context.Background(), svc, slug, "fr")
	revApprove(t, context.Background(), svc, slug, "fr")
	eventually(t, time.Minute, "scheduled", func() error {
		if st, err := svc.Status(context.Background(), slug); err != nil || st.Stage != workflows.StageScheduled {
			return fmt.Errorf("stage %s %v", st.Stage, err)
		}
		return nil
	})
	edith.run(chromedp.Navigate(site.URL+"/workbench/reports/"+slug), chromedp.WaitVisible(`#report-stage`))
	if got := edith.eval(`document.getElementById("report-stage").dataset.stage`); got != "scheduled" {
		t.Errorf("the report page shows stage %q", got)
	}
	edith.shot("report-scheduled")
	if got := edith.eval(`document.getElementById("publish-at").getAttribute("datetime")`); got != at.Format(time.RFC3339) {
		t.Errorf("the report page shows publish time %q, want %s", got, at.Format(time.RFC3339))
	}
	// In Arabic, right to left; the time stays left to right.
	edith.run(chromedp.Click(`nav.langs a[hreflang="ar"]`), chromedp.WaitVisible(`html[lang="ar"]`))
	edith.shot("report-scheduled-ar")
	if dir := edith.eval(`getComputedStyle(document.getElementById("publish-at")).direction`); dir != "ltr" {
		t.Errorf("the publish time is laid out %s in Arabic", dir)
	}
	// The reports list filters by the scheduled stage.
	edith.run(chromedp.Navigate(site.URL+"/workbench/reports?stage=scheduled"), chromedp.WaitVisible(`#reports`))
	edith.shot("reports-scheduled-ar")
	if !strings.Contains(edith.eval(`document.getElementById("reports").innerText`), slug) {
		t.Error("the reports list filtered by scheduled does not show the report")
	}
	if err := svc.Cancel(context.Background(), slug); err != nil {
		t.Fatal(err)
	}
}
