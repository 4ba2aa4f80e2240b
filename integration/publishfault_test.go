package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/workflows"
)

// cutProxy stands between Pressroom and versitygw and lets only the first
// `allow` writes through; later writes get 503, as a store going away in
// the middle of a publish would.
type cutProxy struct {
	*httptest.Server
	allow, writes atomic.Int64
}

func newCutProxy(t *testing.T, allow int64) *cutProxy {
	t.Helper()
	target, err := url.Parse(env.stack.S3Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{}
	p.allow.Store(allow)
	rp := httputil.NewSingleHostReverseProxy(target)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && p.writes.Add(1) > p.allow.Load() {
			http.Error(w, "store unavailable (test cut)", http.StatusServiceUnavailable)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

// storeAt is a store client for the test bucket at another endpoint.
func storeAt(t *testing.T, endpoint string) *store.Store {
	t.Helper()
	cfg := env.cfg.Store()
	cfg.Endpoint = endpoint
	s, err := store.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// stagePublish stores a report's source and a pseudo translation per
// target, as intake and Translate would, and returns the Publish input
// the report workflow would send once every locale is approved.
func stagePublish(t testing.TB, s *store.Store, slug, title string, targets []string, at time.Time) workflows.PublishInput {
	t.Helper()
	ctx := context.Background()
	md := fmt.Sprintf("---\ntitle: %s\nslug: %s\ndate: 2026-06-01\nsummary: Summary of %s.\n---\n\nFirst paragraph of %s.\n\nSecond paragraph, with *emphasis*.\n", title, slug, title, title)
	src, err := report.Parse(slug+".md", []byte(md), report.Options{Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := json.Marshal(src)
	sha := store.SHA256(sb)
	if _, err := s.Put(ctx, store.SourceKey(slug, sha), sb, store.Meta{ContentType: "application/json"}); err != nil {
		t.Fatal(err)
	}
	in := workflows.PublishInput{Slug: slug, SourceLocale: src.Source, PublishedAt: at,
		Source: workflows.Ref{Key: store.SourceKey(slug, sha), SHA256: sha, Size: int64(len(sb))}}
	for _, l := range targets {
		tr := report.Translation{Slug: slug, Source: src.Source, Locale: l, SourceSHA256: sha}
		for _, seg := range src.Segments {
			tr.Segments = append(tr.Segments, report.TranslatedSegment{ID: seg.ID, Text: "[" + l + "] " + seg.Text, Provenance: "mt:pseudo"})
		}
		db, _ := json.Marshal(tr)
		dsha := store.SHA256(db)
		key := store.DraftKey(slug, sha, l, dsha)
		if _, err := s.Put(ctx, key, db, store.Meta{ContentType: "application/json"}); err != nil {
			t.Fatal(err)
		}
		in.Locales = append(in.Locales, workflows.LocaleStatus{Locale: l, Stage: workflows.StageApproved, Draft: workflows.Ref{Key: key, SHA256: dsha, Size: int64(len(db))}})
		in.Approvals = append(in.Approvals, workflows.Approval{Locale: l, By: "rev-" + l, At: at.Add(-time.Minute)})
	}
	return in
}

// runPublish runs the Publish activity as a worker would.
func runPublish(s *store.Store, in workflows.PublishInput) (workflows.Release, error) {
	acts := &activities.Activities{Store: s, Memories: &tmstore.Memories{Store: s}}
	var ts testsuite.WorkflowTestSuite
	ts.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	ae := ts.NewTestActivityEnvironment()
	ae.RegisterActivity(acts.Publish)
	ae.SetTestTimeout(2 * time.Minute)
	v, err := ae.ExecuteActivity(acts.Publish, in)
	if err != nil {
		return workflows.Release{}, err
	}
	var rel workflows.Release
	return rel, v.Get(&rel)
}

// Issue 9 item 7: a publish stopped half-way (the claim and some objects
// written, no pointer) and rerun a day later by another run — new publish
// time, new approval times — finishes the claimed version instead of
// meeting an immutability conflict.
func TestRerunFinishesAbandonedPublish(t *testing.T) {
	slug := "abandoned-publish"
	day0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	in := stagePublish(t, env.store, slug, "Harbour reopens", []string{"fr", "ar"}, day0)

	cut := newCutProxy(t, 4) // the claim and three release objects
	if _, err := runPublish(storeAt(t, cut.URL), in); err == nil {
		t.Fatal("the publish through the cut store succeeded")
	}
	claim := mustGet(t, store.ReleaseClaimKey(slug, 1))
	// Objects are written in parallel: which three made it varies.
	if keys, err := env.store.ListKeys(context.Background(), "releases/"+slug+"/v1/"); err != nil || len(keys) < 2 {
		t.Fatalf("the stopped publish wrote no object besides the claim, so this test proves nothing: %v %v", keys, err)
	}
	if _, err := env.store.Get(context.Background(), store.LatestKey(slug)); err == nil {
		t.Fatal("the stopped publish moved the pointer")
	}

	later := in
	later.PublishedAt = day0.Add(24 * time.Hour)
	later.Approvals = nil
	for _, ap := range in.Approvals {
		ap.At = ap.At.Add(24 * time.Hour)
		later.Approvals = append(later.Approvals, ap)
	}
	rel, err := runPublish(env.store, later)
	if err != nil {
		t.Fatalf("rerun a day later: %v", err)
	}
	if rel.Version != 1 || rel.Reused {
		t.Fatalf("rerun gave %+v, want v1 finished", rel)
	}
	m := verifyRelease(t, slug, 1)
	if !m.PublishedAt.Equal(day0) {
		t.Errorf("manifest published_at %s, want the claim's %s", m.PublishedAt, day0)
	}
	if string(mustGet(t, store.ReleaseClaimKey(slug, 1))) != string(claim) {
		t.Error("the claim was rewritten")
	}
	if _, err := env.store.Get(context.Background(), store.ReleaseClaimKey(slug, 2)); err == nil {
		t.Error("the rerun claimed v2 for the same content")
	}
	// Once more: the same content is now the latest release and is reused.
	again, err := runPublish(env.store, later)
	if err != nil || again.Version != 1 || !again.Reused {
		t.Fatalf("third publish: %+v, %v", again, err)
	}
	if !strings.Contains(frontPage(t, "ar"), slug) {
		t.Error("the ar list does not show the report")
	}
}

// Issue 9 / issue 8: publishes of different reports at the same moment
// against the real S3 server each list their report; none is lost.
func TestConcurrentPublishesLoseNoListEntry(t *testing.T) {
	const n = 12
	at := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	ins := make([]workflows.PublishInput, n)
	for i := range ins {
		ins[i] = stagePublish(t, env.store, fmt.Sprintf("concurrent-%02d", i), fmt.Sprintf("Concurrent report %d", i), []string{"fr", "ar"}, at.Add(time.Duration(i)*time.Second))
	}
	errs := make(chan error, n)
	for _, in := range ins {
		go func() {
			_, err := runPublish(env.store, in)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for _, locale := range []string{"en", "fr", "ar"} {
		var h sitelist.Head
		if err := json.Unmarshal(mustGet(t, store.SiteListKey(locale)), &h); err != nil {
			t.Fatal(err)
		}
		front := frontPage(t, locale)
		for _, in := range ins {
			if !slices.ContainsFunc(h.Recent, func(e sitelist.Entry) bool { return e.Slug == in.Slug }) {
				t.Errorf("%s list lost %s", locale, in.Slug)
			}
			if !strings.Contains(front, `href="`+in.Slug+`/"`) {
				t.Errorf("%s front page lost %s", locale, in.Slug)
			}
		}
	}
}

// Another report's unreadable pointer and manifest do not stop a publish:
// a publish reads nothing of other reports.
func TestCorruptManifestOfAnotherReportDoesNotFailPublish(t *testing.T) {
	ctx := context.Background()
	for _, k := range []string{store.LatestKey("corrupt-other"), store.ManifestKey("corrupt-other", 1)} {
		if _, err := env.store.Put(ctx, k, []byte("{truncated"), store.Meta{ContentType: "application/json"}); err != nil {
			t.Fatal(err)
		}
	}
	in := stagePublish(t, env.store, "beside-corrupt", "Beside a corrupt report", []string{"fr"}, time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC))
	if _, err := runPublish(env.store, in); err != nil {
		t.Fatalf("publish failed because of another report: %v", err)
	}
	verifyRelease(t, "beside-corrupt", 1)
}
