package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/catalog"
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/workflows"
)

// Issue 10, revisions: a published report resubmitted with one paragraph
// changed asks each locale to review that paragraph only, the old release
// stays served until the revision publishes, and the catalogs' hashes
// change exactly there. A locale with nothing changed needs no task.
func TestRevisionReviewsOnlyTheChangedParagraph(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	const slug, queue = "revision-harbour", "it-revision"
	targets := []string{"fr", "ar", "zh-Hans"}
	svc := inProcessWorker(t, queue)
	v1Path, v2Path := "testdata/revision/harbour-v1.txt", "testdata/revision/harbour-v2.txt"
	v1Src, v2Src := revFixture(t, v1Path, slug), revFixture(t, v2Path, slug)
	oldID, newID := revOnlyIn(v1Src, v2Src), revOnlyIn(v2Src, v1Src)
	if len(oldID) != 1 || len(newID) != 1 {
		t.Fatalf("the fixtures should differ in one paragraph: %v / %v", oldID, newID)
	}

	data, err := os.ReadFile(v1Path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Submit(ctx, service.SubmitRequest{Name: v1Path, Data: data, Options: report.Options{Slug: slug, Targets: targets}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Revises != 0 {
		t.Errorf("a first version says it revises v%d", res.Revises)
	}
	for _, l := range targets {
		revInReview(t, ctx, svc, slug, l)
		revApprove(t, ctx, svc, slug, l)
	}
	if rel, err := svc.Wait(ctx, slug); err != nil || rel.Version != 1 {
		t.Fatalf("v1: %+v %v", rel, err)
	}

	site := httptest.NewServer(web.Routes(env.store, &web.API{}))
	defer site.Close()
	page := func(l string) string {
		t.Helper()
		resp, err := http.Get(site.URL + "/" + l + "/" + slug + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /%s/%s/: %d", l, slug, resp.StatusCode)
		}
		return string(b)
	}
	for _, l := range targets {
		if page(l) != string(mustGet(t, store.ReleasePageKey(slug, 1, l))) {
			t.Fatalf("%s: the site does not serve v1", l)
		}
	}

	// The revision, submitted as an editor would.
	dir := t.TempDir()
	if v2Path, err = filepath.Abs(v2Path); err != nil {
		t.Fatal(err)
	}
	out := mustPressroom(t, dir, queue, "submit", v2Path, "--slug", slug, "--to", strings.Join(targets, ","))
	t.Logf("pressroom submit (revision):\n%s", out)
	if !strings.Contains(out, "revision of v1: v1 stays live") {
		t.Errorf("submit does not say it revises v1:\n%s", out)
	}
	for _, l := range targets {
		ls := revInReview(t, ctx, svc, slug, l)
		if ls.Review != 1 || ls.CarriedFrom != 1 || ls.Segments != len(v2Src.Segments) {
			t.Errorf("%s: %d to review of %d, carried from v%d; want 1 of %d from v1", l, ls.Review, ls.Segments, ls.CarriedFrom, len(v2Src.Segments))
		}
		d, err := svc.TaskDetail(ctx, slug, l)
		if err != nil {
			t.Fatal(err)
		}
		var review []string
		for _, s := range d.Segments {
			if s.ApprovedIn == 0 {
				review = append(review, s.ID)
			} else if s.ApprovedIn != 1 || s.Provenance != release.CarriedProvenance(1) {
				t.Errorf("%s %s: carried from v%d (%s)", l, s.ID, s.ApprovedIn, s.Provenance)
			}
		}
		if !slices.Equal(review, newID) {
			t.Errorf("%s task asks review of %v, want only the changed paragraph %v", l, review, newID)
		}
	}
	taskOut := mustPressroom(t, dir, queue, "task", slug, "fr")
	t.Logf("pressroom task %s fr:\n%s", slug, taskOut)
	if want := fmt.Sprintf("revision: 1 segment(s) to review; %d unchanged, approved in v1", len(v2Src.Segments)-1); !strings.Contains(taskOut, want) {
		t.Errorf("task output does not say what to review:\n%s", taskOut)
	}
	// Until the revision publishes, v1 is what readers get.
	for _, l := range targets {
		if page(l) != string(mustGet(t, store.ReleasePageKey(slug, 1, l))) {
			t.Errorf("%s: v1 is no longer served while the revision is in review", l)
		}
	}
	var latest release.Latest
	if err := env.store.GetJSON(ctx, store.LatestKey(slug), &latest); err != nil || latest.Version != 1 {
		t.Errorf("latest during the revision: %+v %v", latest, err)
	}
	// The French reviewer reopens a carried segment and rewords it.
	if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "fr", Reviewer: "rev-fr", Action: workflows.ActionEdit,
		Edits: map[string]string{"title": "Le port rouvre son quai nord après la tempête"}}); err != nil {
		t.Fatalf("reopen a carried segment: %v", err)
	}
	if d, err := svc.TaskDetail(ctx, slug, "fr"); err != nil || d.Segments[0].ID != "title" || d.Segments[0].ApprovedIn != 0 {
		t.Errorf("the reopened title is still shown as carried: %+v %v", d.Segments[0], err)
	}
	for _, l := range targets {
		revApprove(t, ctx, svc, slug, l)
	}
	if rel, err := svc.Wait(ctx, slug); err != nil || rel.Version != 2 {
		t.Fatalf("v2: %+v %v", rel, err)
	}
	for _, l := range targets {
		v2 := page(l)
		if v2 != string(mustGet(t, store.ReleasePageKey(slug, 2, l))) || v2 == string(mustGet(t, store.ReleasePageKey(slug, 1, l))) {
			t.Errorf("%s: the site does not serve v2 after it published", l)
		}
		c1, c2 := revCatalogHashes(t, slug, 1, l), revCatalogHashes(t, slug, 2, l)
		if gone, added := revChangedHashes(c1, c2), revChangedHashes(c2, c1); !slices.Equal(gone, oldID) || !slices.Equal(added, newID) {
			t.Errorf("%s catalog hashes changed at %v → %v; want exactly %v → %v", l, gone, added, oldID, newID)
		}
		for id, sp := range revProvenance(t, slug, 2, l) {
			want := 1
			if id == newID[0] || (l == "fr" && id == "title") { // changed source; reworded text
				want = 2
			}
			if sp.ApprovedIn != want {
				t.Errorf("%s v2 %s first approved in v%d, want v%d", l, id, sp.ApprovedIn, want)
			}
		}
	}

	// The same text with one more target: the three locales have nothing
	// to review and get no task; only the new one is reviewed.
	all := append(slices.Clone(targets), "es")
	mustPressroom(t, dir, queue, "submit", v2Path, "--slug", slug, "--to", strings.Join(all, ","))
	revInReview(t, ctx, svc, slug, "es")
	tasks, err := svc.Tasks(ctx, service.TaskFilter{Slug: slug})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Locale != "es" {
		t.Errorf("tasks of the revision: %+v, want es only", tasks)
	}
	st, err := svc.Status(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, ls := range st.Locales {
		if ls.Locale != "es" && (ls.Stage != workflows.StageApproved || ls.Review != 0 || ls.CarriedFrom != 2 || ls.ApprovedBy != "rev-"+ls.Locale) {
			t.Errorf("%s: stage %s, %d to review, carried from v%d, approved by %q", ls.Locale, ls.Stage, ls.Review, ls.CarriedFrom, ls.ApprovedBy)
		}
	}
	// fr's last task is v2's; what the service tells of fr is this run's.
	if ls, err := svc.LocaleStatus(ctx, slug, "fr"); err != nil || ls.CarriedFrom != 2 || ls.Source.SHA256 != st.Source.SHA256 {
		t.Errorf("fr during the revision: carried from v%d, source %s (report's %s), %v", ls.CarriedFrom, ls.Source.SHA256, st.Source.SHA256, err)
	}
	var refused *service.RefusedError
	if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "fr", Reviewer: "rev-fr", Action: workflows.ActionApprove}); !errors.As(err, &refused) ||
		!strings.Contains(refused.Reason, "unchanged since v2") {
		t.Errorf("reviewing an unchanged locale: %v", err)
	}
	statusOut := mustPressroom(t, dir, queue, "status", slug)
	t.Logf("pressroom status %s:\n%s", slug, statusOut)
	if !strings.Contains(statusOut, "approved (unchanged, carried from v2)") {
		t.Errorf("status does not say the locales are unchanged:\n%s", statusOut)
	}
	revApprove(t, ctx, svc, slug, "es")
	if rel, err := svc.Wait(ctx, slug); err != nil || rel.Version != 3 {
		t.Fatalf("v3: %+v %v", rel, err)
	}
	if p := revProvenance(t, slug, 3, "fr"); p[newID[0]].ApprovedIn != 2 || p["title"].ApprovedIn != 2 || p[v2Src.Segments[1].ID].ApprovedIn != 1 {
		t.Errorf("v3 fr provenance: %+v", p)
	}
}

func revFixture(t *testing.T, path, slug string) *report.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Parse(path, b, report.Options{Slug: slug, Targets: []string{"fr"}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// onlyIn lists the segment IDs of a that b does not have.
func revOnlyIn(a, b *report.Report) []string {
	var out []string
	for _, s := range a.Segments {
		if !slices.ContainsFunc(b.Segments, func(o report.Segment) bool { return o.ID == s.ID }) {
			out = append(out, s.ID)
		}
	}
	return out
}

func revInReview(t *testing.T, ctx context.Context, svc *service.Service, slug, locale string) workflows.LocaleStatus {
	t.Helper()
	var ls workflows.LocaleStatus
	eventually(t, 2*time.Minute, locale+" in review", func() error {
		var err error
		if ls, err = svc.LocaleStatus(ctx, slug, locale); err != nil {
			return err
		}
		if ls.Stage != workflows.StageInReview || ls.Source.Key == "" {
			return fmt.Errorf("stage %s", ls.Stage)
		}
		return nil
	})
	return ls
}

func revApprove(t *testing.T, ctx context.Context, svc *service.Service, slug, locale string) {
	t.Helper()
	if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: locale, Reviewer: "rev-" + locale, Action: workflows.ActionApprove}); err != nil {
		t.Fatalf("approve %s: %v", locale, err)
	}
}

// catalogHashes reads a release's JSON catalog as message ID → hash.
func revCatalogHashes(t *testing.T, slug string, v int, locale string) map[string]string {
	t.Helper()
	mf, err := catalog.Parse("active."+locale+".json", mustGet(t, store.ReleaseCatalogKey(slug, v, locale, "json")))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range mf.Messages {
		out[m.ID] = m.Hash
	}
	return out
}

// changedHashes lists the message IDs of a whose hash b does not have.
func revChangedHashes(a, b map[string]string) []string {
	var out []string
	for id, h := range a {
		if b[id] != h {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func revProvenance(t *testing.T, slug string, v int, locale string) map[string]release.SegmentProvenance {
	t.Helper()
	p, err := release.ProvenanceIndex(mustGet(t, store.ReleaseProvenanceKey(slug, v, locale)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// All at once: a revision whose publish stops half-way (the store goes
// away after a few release objects) leaves the live release whole — the
// pointer and every locale's page still v1 — and its rerun switches every
// locale to v2.
func TestRevisionStoppedHalfWayLeavesTheLiveReleaseWhole(t *testing.T) {
	ctx := context.Background()
	const slug = "revision-cut"
	at := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	locales := []string{"en", "fr", "ar"}
	if rel, err := runPublish(env.store, stagePublish(t, env.store, slug, "Harbour reopens", locales[1:], at)); err != nil || rel.Version != 1 {
		t.Fatalf("v1: %+v %v", rel, err)
	}
	v1 := map[string]string{}
	for _, l := range locales {
		v1[l] = string(mustGet(t, store.SitePageKey(l, slug)))
	}
	v2 := stagePublish(t, env.store, slug, "Harbour reopens to cargo", locales[1:], at.Add(time.Hour))
	cut := newCutProxy(t, 5) // the claim and four objects of v2
	if _, err := runPublish(storeAt(t, cut.URL), v2); err == nil {
		t.Fatal("the publish through the cut store succeeded")
	}
	if _, err := env.store.Get(ctx, store.ReleaseClaimKey(slug, 2)); err != nil {
		t.Fatalf("the stopped publish claimed no v2, so this test proves nothing: %v", err)
	}
	var latest release.Latest
	if err := env.store.GetJSON(ctx, store.LatestKey(slug), &latest); err != nil || latest.Version != 1 {
		t.Errorf("pointer after the stopped publish: %+v %v", latest, err)
	}
	for _, l := range locales {
		if string(mustGet(t, store.SitePageKey(l, slug))) != v1[l] {
			t.Errorf("%s page changed by the stopped publish", l)
		}
	}
	verifyRelease(t, slug, 1)
	if rel, err := runPublish(env.store, v2); err != nil || rel.Version != 2 {
		t.Fatalf("rerun: %+v %v", rel, err)
	}
	for _, l := range locales {
		if string(mustGet(t, store.SitePageKey(l, slug))) != string(mustGet(t, store.ReleasePageKey(slug, 2, l))) {
			t.Errorf("%s page is not v2 after the rerun", l)
		}
	}
}

// The workbench opens a revision's task on what it asks to review: the
// changed paragraph alone, the carried ones counted as approved and shown
// under "All" with their "approved v1" provenance. Screenshots in the
// test's artifact folder.
func TestRevisionInWorkbench(t *testing.T) {
	chromium := needChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	const slug, queue = "revision-wb", "it-revision-wb"
	svc := inProcessWorker(t, queue)
	submit := func(path string) {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Submit(ctx, service.SubmitRequest{Name: path, Data: data, Options: report.Options{Slug: slug, Targets: []string{"fr", "ar"}}}); err != nil {
			t.Fatal(err)
		}
	}
	submit("testdata/revision/harbour-v1.txt")
	for _, l := range []string{"fr", "ar"} {
		revInReview(t, ctx, svc, slug, l)
		revApprove(t, ctx, svc, slug, l)
	}
	if _, err := svc.Wait(ctx, slug); err != nil {
		t.Fatal(err)
	}
	submit("testdata/revision/harbour-v2.txt")
	revInReview(t, ctx, svc, slug, "fr")
	revInReview(t, ctx, svc, slug, "ar")
	changed := revOnlyIn(revFixture(t, "testdata/revision/harbour-v2.txt", slug), revFixture(t, "testdata/revision/harbour-v1.txt", slug))

	users := testUsers(t, testUser{"claire", auth.RoleTranslator, []string{"fr"}}, testUser{"amal", auth.RoleTranslator, []string{"ar"}})
	site := workbenchSite(t, svc, users)
	root := headless(t, chromium, 1280, 900, 3*time.Minute)
	session := browserSessions(t, root)
	for _, who := range []struct{ name, locale string }{{"claire", "fr"}, {"amal", "ar"}} {
		b := session(who.name)
		b.signIn(site.URL, who.name, "pw-"+who.name+"-2026")
		b.run(chromedp.Navigate(site.URL+"/workbench/tasks/"+slug+"/"+who.locale), chromedp.WaitVisible(`#task`))
		b.shot("revision-to-review")
		shown := b.eval(`Array.from(document.querySelectorAll("section.seg")).map(s => s.dataset.id).join(",")`)
		if shown != strings.Join(changed, ",") {
			t.Errorf("%s: the revision's task opens on %q, want only the changed paragraph %v", who.locale, shown, changed)
		}
		if current := b.eval(`document.querySelector(".filters a[aria-current]").innerText`); !strings.Contains(current, "1") {
			t.Errorf("%s: current filter %q", who.locale, current)
		}
		if progress := b.eval(`document.getElementById("progress").value + "/" + document.getElementById("progress").max`); progress != "4/5" {
			t.Errorf("%s: progress %s, want the 4 carried of 5 counted as approved", who.locale, progress)
		}
		b.run(chromedp.Navigate(site.URL+"/workbench/tasks/"+slug+"/"+who.locale+"?filter=all"), chromedp.WaitVisible(`#task`))
		b.shot("revision-all")
		if got := b.eval(`String(Array.from(document.querySelectorAll(".badge.prov")).filter(e => e.innerText.trim() === "approved v1").length)`); got != "4" {
			t.Errorf("%s: %s segments shown as approved in v1, want 4", who.locale, got)
		}
	}
	if err := svc.Cancel(ctx, slug); err != nil {
		t.Fatal(err)
	}
}
