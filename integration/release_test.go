package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"google.golang.org/protobuf/proto"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/workflows"
)

// inProcessWorker runs a worker in the test process on its own queue.
func inProcessWorker(t *testing.T, queue string) *service.Service {
	t.Helper()
	w := app.NewWorker(env.client, queue, &activities.Activities{Store: env.store, Translator: mt.NewRouter(nil, []mt.Provider{mt.Pseudo{}}),
		Memories: &tmstore.Memories{Store: env.store}, QA: qa.DefaultConfig()})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return &service.Service{Temporal: env.client, Store: env.store, TaskQueue: queue}
}

// publish submits a report and approves every locale as its reviewer.
func publish(t *testing.T, svc *service.Service, name string, data []byte, targets []string) workflows.Release {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := svc.Submit(ctx, service.SubmitRequest{Name: name, Data: data, Options: report.Options{Targets: targets}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Targets {
		carried := false
		eventually(t, 2*time.Minute, l+" in review", func() error {
			// A revision's unchanged locale needs no review (no task).
			if st, err := svc.Status(ctx, res.Slug); err == nil && slices.ContainsFunc(st.Locales, func(ls workflows.LocaleStatus) bool {
				return ls.Locale == l && ls.Stage == workflows.StageApproved && ls.CarriedFrom > 0 && ls.Review == 0
			}) {
				carried = true
				return nil
			}
			ls, err := svc.LocaleStatus(ctx, res.Slug, l)
			if err != nil {
				return err
			}
			if ls.Stage != workflows.StageInReview {
				return fmt.Errorf("stage %s", ls.Stage)
			}
			return nil
		})
		if carried {
			continue
		}
		if _, err := svc.Review(ctx, service.ReviewRequest{Slug: res.Slug, Locale: l, Reviewer: "rev-" + l, Action: workflows.ActionApprove}); err != nil {
			t.Fatal(err)
		}
	}
	rel, err := svc.Wait(ctx, res.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

const notice = `---
title: Office hours change for the summer
slug: summer-hours
date: 2026-06-01
source: en
summary: The reading room closes earlier in July and August.
---

From 1 July to 31 August the reading room closes at *16:00* instead of 18:00.

Requests for documents can still be made [online](https://example.org/requests) at any time.
`

// The same slug with new content becomes v2; v1 stays byte for byte.
// The same content again reuses the latest release.
func TestNewContentMakesNewVersion(t *testing.T) {
	svc := inProcessWorker(t, "it-versions")
	rel1 := publish(t, svc, "notice.md", []byte(notice), []string{"fr", "ar"})
	if rel1.Version != 1 {
		t.Fatalf("first release is v%d", rel1.Version)
	}
	m1 := verifyRelease(t, "summer-hours", 1)
	manifest1 := mustGet(t, store.ManifestKey("summer-hours", 1))

	changed := strings.Replace(notice, "16:00", "15:30", 1)
	rel2 := publish(t, svc, "notice.md", []byte(changed), []string{"fr", "ar"})
	if rel2.Version != 2 || rel2.Reused {
		t.Fatalf("changed content gave %+v, want v2", rel2)
	}
	verifyRelease(t, "summer-hours", 2)
	if string(mustGet(t, store.ManifestKey("summer-hours", 1))) != string(manifest1) {
		t.Fatal("v1 manifest changed")
	}
	for _, o := range m1.Objects {
		if got := store.SHA256(mustGet(t, o.Key)); got != o.SHA256 {
			t.Errorf("v1 object %s changed", o.Key)
		}
	}
	if !strings.Contains(string(mustGet(t, store.SitePageKey("en", "summer-hours"))), "15:30") {
		t.Error("the site page does not show v2")
	}

	rel3 := publish(t, svc, "notice.md", []byte(changed), []string{"fr", "ar"})
	if rel3.Version != 2 || !rel3.Reused {
		t.Fatalf("identical content gave %+v, want v2 reused", rel3)
	}
	var latest release.Latest
	json.Unmarshal(mustGet(t, store.LatestKey("summer-hours")), &latest)
	if latest.Version != 2 {
		t.Fatalf("latest is v%d", latest.Version)
	}
}

// A publish stopped half-way leaves a claimed, unfinished version; the
// next publish of other content skips it instead of failing for good.
func TestAbandonedVersionIsSkipped(t *testing.T) {
	svc := inProcessWorker(t, "it-orphan")
	body := strings.Replace(notice, "slug: summer-hours", "slug: orphan-test", 1)
	if rel := publish(t, svc, "o.md", []byte(body), []string{"fr"}); rel.Version != 1 {
		t.Fatalf("first release v%d", rel.Version)
	}
	orphan := []byte(`{"slug":"orphan-test","version":2,"content":"from a publish that was terminated"}`)
	if _, err := env.store.PutImmutable(context.Background(), store.ReleaseClaimKey("orphan-test", 2), orphan, store.Meta{ContentType: "application/json"}); err != nil {
		t.Fatal(err)
	}
	rel := publish(t, svc, "o.md", []byte(strings.Replace(body, "16:00", "17:00", 1)), []string{"fr"})
	if rel.Version != 3 {
		t.Fatalf("after an abandoned v2 the release is v%d, want v3", rel.Version)
	}
	verifyRelease(t, "orphan-test", 3)
	if string(mustGet(t, store.ReleaseClaimKey("orphan-test", 2))) != string(orphan) {
		t.Error("the abandoned claim was overwritten")
	}
}

// Immutable writes against the real S3 server: If-None-Match is honoured,
// a retry with the same bytes succeeds, different bytes are refused.
func TestImmutableWrites(t *testing.T) {
	ctx := context.Background()
	key := "releases/immutable-test/v1/x.txt"
	meta := store.Meta{ContentType: "text/plain"}
	if _, err := env.store.PutImmutable(ctx, key, []byte("one"), meta); err != nil {
		t.Fatal(err)
	}
	if _, err := env.store.PutImmutable(ctx, key, []byte("one"), meta); err != nil {
		t.Fatalf("retry with identical bytes: %v", err)
	}
	_, err := env.store.PutImmutable(ctx, key, []byte("two"), meta)
	var conflict *store.ImmutableConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("different bytes: got %v, want ImmutableConflictError", err)
	}
	if string(mustGet(t, key)) != "one" {
		t.Fatal("the immutable object was overwritten")
	}
}

// Bad input is refused with a clear message; nothing is stored or started.
func TestBadInputStartsNothing(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, body string
		args       []string
		want       []string // the message names what and where
	}{
		{"target equals source", "---\ntitle: T\nslug: bad-target\nsource: en\n---\n\nBody.\n", []string{"--to", "fr,en"}, []string{"targets", `"en" is the source locale`}},
		{"target in file equals source", "---\ntitle: T\nslug: bad-target2\nsource: en\ntargets: [fr, en]\n---\n\nBody.\n", nil, []string{"r.md:5", "targets", `"en"`}},
		{"unsafe slug", "---\ntitle: T\nslug: ../x\n---\n\nBody.\n", []string{"--to", "fr"}, []string{"r.md:3", "slug"}},
		{"invalid tag", "---\ntitle: T\nslug: bad-tag\n---\n\nBody.\n", []string{"--to", "fr,xx-!!"}, []string{"targets", `"xx-!!" is not a valid BCP 47 tag`}},
		{"empty body", "---\ntitle: T\nslug: bad-empty\n---\n", []string{"--to", "fr"}, []string{"r.md", "no content"}},
		{"no targets", "---\ntitle: T\nslug: bad-none\n---\n\nBody.\n", nil, []string{"r.md", "no target locales"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := dir + "/r.md"
			if err := writeFile(path, c.body); err != nil {
				t.Fatal(err)
			}
			r := pressroom(t, dir, "it-bad", append([]string{"submit", path}, c.args...)...)
			if r.code != 2 {
				t.Fatalf("exit %d, stderr %q; want exit 2", r.code, r.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not say %q", r.stderr, w)
				}
			}
		})
	}
	drafts, err := env.store.ListPrefixes(context.Background(), "drafts/")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range drafts {
		if strings.HasPrefix(d, "bad-") || d == "x" {
			t.Errorf("a refused report left drafts/%s", d)
		}
	}
	for _, slug := range []string{"bad-target", "bad-target2", "bad-tag", "bad-empty", "bad-none"} {
		_, err := env.client.DescribeWorkflow(context.Background(), workflows.ReportID(slug), "")
		var nf *serviceerror.NotFound
		if !errors.As(err, &nf) {
			t.Errorf("a workflow exists for refused report %s: %v", slug, err)
		}
	}
}

// A 1 MB report to six targets: history stays small because text lives
// in S3 and only references travel through Temporal.
func TestHistoryStaysSmallForLargeReport(t *testing.T) {
	svc := inProcessWorker(t, "it-history")
	var b strings.Builder
	b.WriteString("---\ntitle: A very long report\nslug: large-report\nsource: en\n---\n\n")
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "Paragraph %d describes the proceedings of working group %d in considerable detail, with figures, names and the decisions taken, so that every delegation can follow the discussion later. It goes on for a while to reach a realistic length of a paragraph in a long report.\n\n", i, i%40)
	}
	rel := publish(t, svc, "large.md", []byte(b.String()), []string{"ar", "zh-Hans", "fr", "ru", "es", "de"})
	if rel.Version < 1 {
		t.Fatalf("release %+v", rel)
	}
	ids := []string{workflows.ReportID("large-report")}
	for _, l := range []string{"ar", "zh-Hans", "fr", "ru", "es", "de"} {
		ids = append(ids, workflows.LocaleID("large-report", l))
	}
	for i, id := range ids {
		size, events := historySize(t, id)
		t.Logf("%s: %d events, %d bytes of history", id, events, size)
		// The report carries six drafts' references and checks; a locale
		// only its own (no segment-ID list: that stays in S3).
		limit := 50 * 1024
		if i == 0 {
			limit = 100 * 1024
		}
		if size >= limit {
			t.Errorf("%s history is %d bytes; must stay under %d KB for a 1 MB report", id, size, limit/1024)
		}
	}
}

func historySize(t *testing.T, id string) (int, int) {
	it := env.client.GetWorkflowHistory(context.Background(), id, "", false, 0)
	size, n := 0, 0
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		size += proto.Size(e)
		n++
	}
	return size, n
}
