package integration

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

// Issue 10 in the workbench, in headless Chromium against the real
// Temporal, S3 and a worker: an editor sees both releases of a report
// with what each changed, rolls back to v1 (the reader site serves v1),
// meets a refusal on a stale page (another editor moved the pointer
// first), unpublishes French (the reader's page answers 410); on a
// scheduled report with no release yet, moves the publish time (a past
// one is refused) and clears it. A translator is refused every action.
func TestWorkbenchReleases(t *testing.T) {
	chromium := needChromium(t)
	const slug, later = "wb-releases", "wb-releases-later"
	ctx := context.Background()
	svc := inProcessWorker(t, "it-wb-releases")
	users := testUsers(t, testUser{"edith", auth.RoleEditor, nil}, testUser{"claire", auth.RoleTranslator, []string{"fr"}})
	site := workbenchSite(t, svc, users)

	// The scheduled report waits for its French review while the other
	// one is published twice.
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	laterText := strings.Replace(apiReport, "---\ntitle:", "---\nslug: "+later+"\ntitle:", 1)
	if _, err := svc.Submit(ctx, service.SubmitRequest{Name: later + ".md", Data: []byte(laterText), PublishAt: at, SubmittedBy: "edith",
		Options: report.Options{Targets: []string{"fr"}}}); err != nil {
		t.Fatal(err)
	}
	v1Text := strings.Replace(apiReport, "---\ntitle:", "---\nslug: "+slug+"\ntitle:", 1)
	// v2 changes the title (same segment ID) and a paragraph (its ID
	// follows its text: one removed, one added).
	v2Text := strings.Replace(strings.Replace(v1Text, "40 seats", "60 seats", 1), "title: Library opens a reading garden", "title: Library opens a larger reading garden", 1)
	if rel := publish(t, svc, slug+".md", []byte(v1Text), []string{"fr"}); rel.Version != 1 {
		t.Fatalf("first publish made v%d", rel.Version)
	}
	if rel := publish(t, svc, slug+".md", []byte(v2Text), []string{"fr"}); rel.Version != 2 {
		t.Fatalf("second publish made v%d", rel.Version)
	}
	if _, body, _ := siteGet(t, site.URL, "/en/"+slug+"/"); !strings.Contains(body, "60 seats") {
		t.Fatal("the reader site does not serve v2")
	}

	bctx := headless(t, chromium, 1280, 900, 3*time.Minute)
	dir := t.ArtifactDir()
	t.Logf("screenshots in %s", dir)
	var n int
	edith := &browser{t: t, name: "edith", ctx: bctx, dir: dir, n: &n}
	edith.signIn(site.URL, "edith", "pw-edith-2026")
	page := site.URL + "/workbench/reports/" + slug

	// Both releases, newest first, v2 served, with what v2 changed.
	edith.run(chromedp.Navigate(page), chromedp.WaitVisible(`#releases`))
	if got := edith.eval(`[...document.querySelectorAll("#releases tbody tr")].map(r => r.dataset.version + (r.dataset.current ? "*" : "")).join(",")`); got != "2*,1" {
		t.Errorf("releases listed %q, want 2*,1", got)
	}
	v2fr := edith.eval(`document.querySelector('#release-v2 li[data-locale="fr"]').innerText`)
	v2en := edith.eval(`document.querySelector('#release-v2 li[data-locale="en"]').innerText`)
	for _, got := range []string{v2en, v2fr} {
		if !strings.Contains(got, "1 added 1 changed 1 removed") {
			t.Errorf("v2's changes %q; want the title changed, a paragraph added and one removed", got)
		}
	}
	if got := edith.eval(`document.querySelector("#release-v1").innerText`); !strings.Contains(got, "first release") || !strings.Contains(got, "rev-fr") {
		t.Errorf("v1's row %q lacks first release / its approver", got)
	}
	edith.shot("releases")
	for _, l := range []string{"ar", "zh-Hans"} {
		edith.run(chromedp.Click(`nav.langs a[hreflang="`+l+`"]`), chromedp.WaitVisible(`html[lang="`+l+`"]`), chromedp.WaitVisible(`#releases`))
		edith.shot("releases-" + l)
	}
	if got := edith.eval(`getComputedStyle(document.querySelector("#releases table")).direction`); got != "ltr" {
		// zh-Hans is left to right; checked here so the Arabic check below means something.
		t.Errorf("the Chinese table is laid out %s", got)
	}
	edith.run(chromedp.Click(`nav.langs a[hreflang="ar"]`), chromedp.WaitVisible(`html[lang="ar"]`))
	if got := edith.eval(`getComputedStyle(document.querySelector("#releases table")).direction`); got != "rtl" {
		t.Errorf("the Arabic releases table is laid out %s", got)
	}
	edith.run(chromedp.Click(`nav.langs a[hreflang="en"]`), chromedp.WaitVisible(`html[lang="en"]`))

	// A rollback needs a reason and the confirmation (no JavaScript: a
	// plain form post).
	edith.run(chromedp.SetValue(`#rollback-to`, "1"), chromedp.SetValue(`#rollback-reason`, "Wrong seat count in v2"),
		chromedp.Click(`#rollback-confirm`))
	submitThen(edith, `#rollback-submit`, `.flash`)
	if got := edith.eval(`document.querySelector(".flash").innerText`); got != "Readers now get v1 (was v2)." {
		t.Errorf("rollback flash %q", got)
	}
	for _, l := range []string{"en", "fr"} {
		code, body, _ := siteGet(t, site.URL, "/"+l+"/"+slug+"/")
		if code != http.StatusOK || !strings.Contains(body, "40") || strings.Contains(body, "60") {
			t.Errorf("after the rollback /%s/%s/ answers %d and is not v1's page", l, slug, code)
		}
	}
	if got := edith.eval(`document.querySelector("#releases tr[data-current]").dataset.version`); got != "1" {
		t.Errorf("after the rollback the page marks v%s served", got)
	}
	edith.shot("rolled-back")

	// A stale page: another editor serves v2 first; the workbench shows
	// the service's refusal on the page and keeps the reason typed.
	if _, err := svc.Rollback(ctx, slug, 2, "otto", "the seat count was right"); err != nil {
		t.Fatal(err)
	}
	edith.run(chromedp.SetValue(`#rollback-to`, "2"), chromedp.SetValue(`#rollback-reason`, "Back to the new figures"),
		chromedp.Click(`#rollback-confirm`))
	submitThen(edith, `#rollback-submit`, `#page-error`)
	if got := edith.eval(`document.getElementById("page-error").innerText`); !strings.Contains(got, "serves v2 now, not v1") {
		t.Errorf("refused rollback shows %q", got)
	}
	if got := edith.eval(`document.getElementById("rollback-reason").value`); got != "Back to the new figures" {
		t.Errorf("the refused form lost its reason: %q", got)
	}
	edith.shot("rollback-refused")

	// Unpublish French only: its reader page answers 410, English stays.
	edith.run(chromedp.SetValue(`#unpublish-locale`, "fr"), chromedp.SetValue(`#unpublish-reason`, "French figures under review"),
		chromedp.Click(`#unpublish-confirm`))
	submitThen(edith, `#unpublish-submit`, `.flash`)
	if got := edith.eval(`document.querySelector(".flash").innerText`); !strings.Contains(got, "Withdrawn from readers: fr.") {
		t.Errorf("unpublish flash %q", got)
	}
	if code, _, _ := siteGet(t, site.URL, "/fr/"+slug+"/"); code != http.StatusGone {
		t.Errorf("unpublished /fr/%s/ answers %d, want 410", slug, code)
	}
	if code, body, _ := siteGet(t, site.URL, "/en/"+slug+"/"); code != http.StatusOK || !strings.Contains(body, "60 seats") {
		t.Errorf("/en/%s/ answers %d after unpublishing French (want v2's page)", slug, code)
	}
	moves := edith.eval(`[...document.querySelectorAll("#moves li")].map(li => li.dataset.action + ":" + li.innerText).join("\n")`)
	for _, want := range []string{"unpublish:", "French figures under review", "otto", "the seat count was right", "rolled back from v2 to v1", "Wrong seat count in v2"} {
		if !strings.Contains(moves, want) {
			t.Errorf("recorded moves lack %q:\n%s", want, moves)
		}
	}
	if got := edith.eval(`document.getElementById("withdrawn").innerText`); !strings.Contains(got, "fr") {
		t.Errorf("the page does not say French is withdrawn: %q", got)
	}
	edith.shot("unpublished-fr")
	// The served release again puts the French page back.
	if got := edith.eval(`document.querySelector('#rollback-to option[value="2"]').innerText`); !strings.Contains(got, "put its withdrawn pages back") {
		t.Errorf("the served release is offered as %q", got)
	}
	edith.run(chromedp.SetValue(`#rollback-to`, "2"), chromedp.SetValue(`#rollback-reason`, "French figures checked"),
		chromedp.Click(`#rollback-confirm`))
	submitThen(edith, `#rollback-submit`, `.flash`)
	if got := edith.eval(`document.querySelector(".flash").innerText`); got != "v2 is served again in every locale." {
		t.Errorf("republish flash %q", got)
	}
	if code, _, _ := siteGet(t, site.URL, "/fr/"+slug+"/"); code != http.StatusOK {
		t.Errorf("republished /fr/%s/ answers %d, want 200", slug, code)
	}

	// A report whose workflow run is no longer kept (here: published
	// without one) still shows its releases and can be rolled back.
	const gone = "wb-releases-norun"
	for v, title := range []string{"Old title", "Newer title"} {
		if rel, err := runPublish(env.store, stagePublish(t, env.store, gone, title, []string{"fr"}, time.Now().Add(time.Duration(v-2)*time.Hour))); err != nil || rel.Version != v+1 {
			t.Fatalf("%s v%d: %+v %v", gone, v+1, rel, err)
		}
	}
	edith.run(chromedp.Navigate(site.URL+"/workbench/reports/"+gone), chromedp.WaitVisible(`#no-run`), chromedp.WaitVisible(`#rollback-form`))
	if got := edith.eval(`[...document.querySelectorAll("#releases tbody tr")].map(r => r.dataset.version + (r.dataset.current ? "*" : "")).join(",") + " " + document.querySelector("h1").innerText`); got != "2*,1 Newer title" {
		t.Errorf("a report without its run shows %q, want its releases 2*,1 and its title", got)
	}
	edith.shot("no-run")

	// A translator is refused every action and the page itself.
	cookie := signInHTTP(t, site.URL, "claire", "pw-claire-2026")
	for _, action := range []string{"schedule", "rollback", "unpublish"} {
		if code, _, _ := formPost(t, page+"/"+action, cookie, url.Values{"to": {"1"}, "reason": {"x"}, "confirm": {"1"}, "clear": {"1"}}); code != http.StatusForbidden {
			t.Errorf("a translator's %s: %d, want 403", action, code)
		}
	}
	if code := getStatus(t, page, cookie); code != http.StatusForbidden {
		t.Errorf("a translator's report page: %d, want 403", code)
	}

	// The scheduled report: no release yet; the form starts from its
	// publish time, the time moves, a past one is
	// refused, and clearing it publishes at once.
	revInReview(t, ctx, svc, later, "fr")
	revApprove(t, ctx, svc, later, "fr")
	eventually(t, time.Minute, "scheduled", func() error {
		if st, err := svc.Status(ctx, later); err != nil || st.Stage != workflows.StageScheduled {
			return fmt.Errorf("stage %s %v", st.Stage, err)
		}
		return nil
	})
	edith.run(chromedp.Navigate(site.URL+"/workbench/reports/"+later), chromedp.WaitVisible(`#schedule-form`), chromedp.WaitVisible(`#no-releases`))
	edith.shot("scheduled-no-release")
	if got := edith.eval(`document.getElementById("schedule-at").value`); got != at.Format("2006-01-02T15:04") {
		t.Errorf("the schedule form starts from %q, want %s (UTC)", got, at.Format("2006-01-02T15:04"))
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	moved := time.Now().Add(72 * time.Hour).In(paris).Truncate(time.Minute)
	edith.run(chromedp.SetValue(`#schedule-at`, moved.Format("2006-01-02T15:04")), chromedp.SetValue(`#schedule-zone`, "Europe/Paris"))
	submitThen(edith, `#schedule-move`, `.flash`)
	if st, err := svc.Status(ctx, later); err != nil || !st.PublishAt.Equal(moved) || st.Stage != workflows.StageScheduled {
		t.Errorf("after moving: publish at %s stage %s %v, want %s", st.PublishAt, st.Stage, err, moved.UTC())
	}
	edith.run(chromedp.SetValue(`#schedule-rfc3339`, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)))
	submitThen(edith, `#schedule-move`, `#page-error`)
	if got := edith.eval(`document.getElementById("page-error").innerText`); !strings.Contains(got, "not in the future") {
		t.Errorf("a past publish time shows %q", got)
	}
	if st, err := svc.Status(ctx, later); err != nil || !st.PublishAt.Equal(moved) {
		t.Errorf("a refused time changed the schedule: %s %v", st.PublishAt, err)
	}
	edith.shot("schedule-refused")
	edith.run()
	submitThen(edith, `#schedule-clear`, `.flash`)
	if got := edith.eval(`document.querySelector(".flash").innerText`); !strings.Contains(got, "cleared") {
		t.Errorf("clear flash %q", got)
	}
	rel, err := svc.Wait(ctx, later)
	if err != nil || rel.Version != 1 {
		t.Fatalf("cleared report: %+v %v; want it published at once", rel, err)
	}
	if st, err := svc.Status(ctx, later); err != nil || !st.PublishAt.IsZero() {
		t.Errorf("after clearing: publish at %s %v", st.PublishAt, err)
	}
}

// signInHTTP signs in to the workbench without a browser: the session cookie.
func signInHTTP(t *testing.T, base, user, password string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/workbench/signin", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.Name == "pressroom_session" {
			return ck.Value
		}
	}
	t.Fatalf("%s: sign-in answered %d without a session", user, res.StatusCode)
	return ""
}

func getStatus(t *testing.T, u, cookie string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.AddCookie(&http.Cookie{Name: "pressroom_session", Value: cookie})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// submitThen clicks a form's submit button and waits for the next page
// (not the one clicked on) to show sel.
func submitThen(b *browser, button, sel string) {
	b.t.Helper()
	b.eval(`(() => { window.stale = true; return "" })()`)
	b.run(chromedp.Click(button))
	b.waitJS("the page after "+button, fmt.Sprintf(`!window.stale && document.querySelector(%q)`, sel))
}
