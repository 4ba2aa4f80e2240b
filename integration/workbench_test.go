package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/internal/workbench"
	"github.com/pressroom/pressroom/workflows"
)

const workbenchReport = `---
title: Reading garden opens
slug: wb-garden
---

The garden has 40 seats and opens at 10:00.

## Visiting

Bring a [library card](https://example.org/card) to borrow **books**.
`

// browser is one person's browser session (its own cookies) that saves a
// screenshot of every screen it visits.
// browserSessions makes one browser context per user of a test; their
// screenshots go, numbered in order, to the test's artifact directory.
func browserSessions(t *testing.T, root context.Context) func(name string) *browser {
	dir := t.ArtifactDir()
	t.Logf("screenshots in %s", dir)
	n := new(int)
	return func(name string) *browser {
		ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		return &browser{t: t, name: name, ctx: ctx, dir: dir, n: n}
	}
}

type browser struct {
	t    *testing.T
	name string
	ctx  context.Context
	dir  string
	n    *int
}

func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", b.name, err)
	}
}

func (b *browser) eval(expr string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, expr, err)
	}
	return s
}

// shot saves a full-page screenshot as NN-who-what.png.
func (b *browser) shot(what string) {
	b.t.Helper()
	// A page that fits the window is captured as it is: Chromium's capture
	// beyond the viewport misplaces short right-to-left pages.
	shoot := chromedp.CaptureScreenshot()
	if b.eval(`String(document.documentElement.scrollHeight > innerHeight)`) == "true" {
		shoot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(b.ctx, shoot)
	if err != nil {
		b.t.Fatalf("%s: screenshot: %v", b.name, err)
	}
	*b.n++
	name := filepath.Join(b.dir, fmt.Sprintf("%02d-%s-%s.png", *b.n, b.name, what))
	if err := os.WriteFile(name, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// waitJS polls a JavaScript condition until it is true.
func (b *browser) waitJS(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b.eval("String(!!("+cond+"))") == "true" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s: %s: still false after 30s (%s)", b.name, what, cond)
}

func (b *browser) signIn(base, user, password string) {
	b.t.Helper()
	b.run(chromedp.Navigate(base+"/workbench/"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, user), chromedp.SendKeys(`#password`, password))
	b.shot("signin")
	b.run(chromedp.Submit(`#password`), chromedp.WaitVisible(`.signout`))
}

// setText puts text in a segment's box as typing would (an input event).
func (b *browser) setText(id, text string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(() => { const t = document.querySelector("#t-%s"); t.value = %q; t.dispatchEvent(new Event("input")); return "" })()`, id, text))
}

// The workbench in headless Chromium against the real Temporal, S3 and a
// worker: an editor submits a report; two French translators and an
// Arabic one work on it — a quality badge that changes after a save, an
// approval refused while errors remain, an edit conflict that keeps the
// second translator's text, Arabic right to left, another locale's task
// refused by URL; a cross-site form post refused; the editor approves and
// the page is published; sign-out ends the session on the server.
func TestWorkbenchInBrowser(t *testing.T) {
	chromium := needChromium(t)
	svc := inProcessWorker(t, "it-workbench")
	path := filepath.Join(t.TempDir(), "users.json")
	passwords := map[string]string{}
	if err := auth.Update(path, func(u *auth.Users) error {
		for _, c := range []struct {
			name   string
			role   auth.Role
			locale string
		}{{"edith", auth.RoleEditor, ""}, {"claire", auth.RoleTranslator, "fr"}, {"celine", auth.RoleTranslator, "fr"}, {"amal", auth.RoleTranslator, "ar"}} {
			var locales []string
			if c.locale != "" {
				locales = []string{c.locale}
			}
			if _, err := u.Add(c.name, c.role, locales); err != nil {
				return err
			}
			passwords[c.name] = "pw-" + c.name + "-2026"
			if err := u.SetPassword(c.name, passwords[c.name]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	users, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	wb := workbench.New(svc, users, log)
	site := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc, Users: users, Log: log}, wb.Handler()))
	defer site.Close()
	base := site.URL

	root := headless(t, chromium, 1280, 900, 8*time.Minute)
	session := browserSessions(t, root)
	ctx := root

	// The team's memory holds a translation of a similar sentence: it is
	// offered beside the machine translation, with its score and what differs.
	memorySource := "Bring a [library card](https://example.org/card) to borrow **films**."
	memoryTarget := "Apportez une [carte de bibliothèque](https://example.org/card) pour emprunter des **livres**."
	if _, err := tmstore.Import(root, env.store, []tm.Entry{{SourceLocale: "en", TargetLocale: "fr", Source: memorySource, Target: memoryTarget,
		Slug: "wb-memory", SegmentID: "p-memory", Approver: "claire", Time: time.Now()}}); err != nil {
		t.Fatal(err)
	}

	// The editor signs in; a refused report shows its problems and starts nothing.
	edith := session("edith")
	edith.signIn(base, "edith", passwords["edith"])
	edith.run(chromedp.Navigate(base+"/workbench/reports/new"), chromedp.WaitVisible(`#text`),
		chromedp.SetValue(`#text`, "---\ntitle: Reading garden opens\nslug: wb-garden\nlayout: wide\n---\n\nThe garden opens.\n"),
		chromedp.Click(`input[name=target][value=fr]`), chromedp.Submit(`#text`), chromedp.WaitVisible(`#problems`))
	problems := edith.eval(`document.getElementById("problems").innerText`)
	edith.shot("submit-refused")
	if !strings.Contains(problems, "report.md:4") || !strings.Contains(problems, "layout") {
		t.Errorf("refused report: problems %q do not name the unknown field and its line", problems)
	}
	if _, err := svc.Status(ctx, "wb-garden"); err == nil {
		t.Fatal("a refused report started a workflow")
	}
	// Now the real one, to French (the pool) and Arabic (amal), with the editor's approval.
	edith.run(chromedp.SetValue(`#text`, workbenchReport), chromedp.SetValue(`#reviewer_ar`, "amal"),
		chromedp.Click(`input[name=target][value=ar]`), chromedp.Click(`input[name=require_approval]`))
	edith.shot("submit")
	edith.run(chromedp.Submit(`#text`), chromedp.WaitVisible(`#report-stage`))
	edith.shot("report-submitted")

	var paraID, cardID string
	for _, l := range []string{"fr", "ar"} {
		eventually(t, 2*time.Minute, l+" in review", func() error {
			ls, err := svc.LocaleStatus(ctx, "wb-garden", l)
			if err != nil {
				return err
			}
			if ls.Stage != workflows.StageInReview {
				return fmt.Errorf("stage %s", ls.Stage)
			}
			return nil
		})
	}
	d, err := svc.TaskDetail(ctx, "wb-garden", "fr")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Segments {
		if s.Kind == report.KindParagraph && strings.Contains(s.Source, "40 seats") {
			paraID = s.ID
		}
		if strings.Contains(s.Source, "library card") {
			cardID = s.ID
		}
	}
	if paraID == "" {
		t.Fatalf("no paragraph segment in %+v", d.Segments)
	}
	taskURL := base + "/workbench/tasks/wb-garden/fr"

	// Céline opens the French task first; Claire will save under her.
	celine := session("celine")
	celine.signIn(base, "celine", passwords["celine"])
	celine.run(chromedp.Navigate(taskURL), chromedp.WaitVisible(`#t-`+paraID))

	// Claire sees her task (and not the Arabic one), opens it, breaks a number: the badge turns to an error.
	claire := session("claire")
	claire.signIn(base, "claire", passwords["claire"])
	claire.shot("my-tasks")
	tasks := claire.eval(`document.getElementById("tasks").innerText`)
	if !strings.Contains(tasks, "Reading garden opens") || strings.Contains(tasks, "العربية") {
		t.Errorf("claire's tasks: %q (want the French task only)", tasks)
	}
	claire.run(chromedp.Navigate(taskURL), chromedp.WaitVisible(`#t-`+paraID))
	if got := claire.eval(`document.querySelector("#seg-` + paraID + ` .chips").innerText`); !strings.Contains(got, "40") {
		t.Errorf("chips of the paragraph: %q, want the number 40", got)
	}
	claire.shot("task")
	errSel := `document.querySelectorAll("#seg-` + paraID + ` .findings .badge.error").length`
	if claire.eval("String("+errSel+")") != "0" {
		t.Fatalf("the machine translation already has errors: %s", claire.eval(`document.querySelector("#seg-`+paraID+`").innerText`))
	}
	claire.setText(paraID, "Le jardin a des places et ouvre le matin.")
	if !strings.Contains(claire.eval(`document.querySelector("#seg-`+paraID+`").className`), "unsaved") {
		t.Error("a changed segment is not marked unsaved")
	}
	claire.run(chromedp.Click(`#seg-` + paraID + ` button.save`))
	claire.waitJS("error badge after saving a text without the numbers", errSel+" > 0")
	if total := claire.eval(`document.getElementById("total-errors").textContent`); !strings.HasSuffix(total, " errors") || total == "0 errors" {
		t.Errorf("the task's error count after the save: %q", total)
	}
	claire.shot("error-badge")
	// Approving now is refused, with the failing segment listed and linked.
	claire.run(chromedp.Click(`#approve`), chromedp.WaitVisible(`#failing`))
	if href := claire.eval(`document.querySelector("#failing a").getAttribute("href")`); !strings.HasSuffix(href, "#seg-"+paraID) {
		t.Errorf("failing segment link %q", href)
	}
	claire.shot("approve-refused")
	mine := "Le jardin a 40 places et ouvre à 10:00."
	claire.setText(paraID, mine)
	claire.run(chromedp.Click(`#seg-` + paraID + ` button.save`))
	claire.waitJS("error badge gone after the fix", errSel+" == 0 && !document.querySelector('#seg-"+paraID+"').classList.contains('unsaved')")
	claire.shot("fixed")
	// Claire takes the memory's suggestion for the last paragraph.
	sug := `#seg-` + cardID + ` .suggestions`
	if got := claire.eval(`(document.querySelector("` + sug + ` .diff") || {innerHTML: ""}).innerHTML`); !strings.Contains(got, "<del>**films**.</del>") || !strings.Contains(got, "<ins>**books**.</ins>") {
		t.Errorf("suggestion diff %q: want films deleted and books inserted", got)
	}
	if score := claire.eval(`(document.querySelector("` + sug + ` .score") || {textContent: ""}).textContent`); score == "" || score < "75" {
		t.Errorf("suggestion score %q", score)
	}
	claire.run(chromedp.Click(sug+` .take`), chromedp.Click(`#seg-`+cardID+` button.save`))
	claire.waitJS("suggestion saved", `document.querySelector("#seg-`+cardID+` .badge.prov").textContent == "human:claire"`)
	if got := claire.eval(`document.querySelector("#t-` + cardID + `").value`); got != memoryTarget {
		t.Errorf("after taking the suggestion the box holds %q", got)
	}
	claire.shot("suggestion-taken")

	// Céline saves the same segment from the draft she loaded: she sees
	// Claire's text and name, her own text stays, and she can save it on top.
	celineText := "Le jardin compte 40 places ; ouverture à 10:00."
	celine.setText(paraID, celineText)
	celine.run(chromedp.Click(`#seg-` + paraID + ` button.save`))
	celine.waitJS("conflict panel", `document.querySelector("#seg-`+paraID+` .conflict")`)
	conflict := celine.eval(`document.querySelector("#seg-` + paraID + ` .conflict").innerText`)
	kept := celine.eval(`document.querySelector("#t-` + paraID + `").value`)
	celine.shot("conflict")
	if !strings.Contains(conflict, "claire") || !strings.Contains(conflict, mine) || kept != celineText {
		t.Errorf("conflict panel %q, box %q: want claire's name and text, and Céline's text kept", conflict, kept)
	}
	celine.run(chromedp.Click(`#seg-` + paraID + ` .keep-mine`))
	celine.waitJS("saved over the conflict", `!document.querySelector("#seg-`+paraID+` .conflict") && !document.querySelector("#seg-`+paraID+`").classList.contains("unsaved")`)
	if d, err := svc.TaskDetail(ctx, "wb-garden", "fr"); err != nil || targetOf(d, paraID) != celineText {
		t.Errorf("after 'save mine' the draft holds %q (%v), want Céline's text", targetOf(d, paraID), err)
	}

	// The same without the script: plain form posts of the heading.
	var headingID string
	for _, seg := range d.Segments {
		if seg.Kind == report.KindHeading {
			headingID = seg.ID
		}
	}
	ls, err := svc.LocaleStatus(ctx, "wb-garden", "fr")
	if err != nil {
		t.Fatal(err)
	}
	stale := ls.Draft.SHA256
	saveURL := taskURL + "/segments/" + headingID
	claireCookie, celineCookie := sessionCookie(t, claire, base), sessionCookie(t, celine, base)
	if st, loc, _ := formPost(t, saveURL, claireCookie, url.Values{"text": {"Visite"}, "base_draft": {stale}}); st != http.StatusSeeOther || !strings.Contains(loc, "#seg-"+headingID) {
		t.Errorf("form save: %d to %q, want 303 back to the segment", st, loc)
	}
	st, _, page := formPost(t, saveURL, celineCookie, url.Values{"text": {"Visiter le jardin"}, "base_draft": {stale}})
	if st != http.StatusConflict || !strings.Contains(page, "Visite</blockquote>") || !strings.Contains(page, ">Visiter le jardin</textarea>") {
		t.Errorf("form save over a newer one: %d; want 409 with claire's text shown and Céline's kept in the box", st)
	}
	if ls, err = svc.LocaleStatus(ctx, "wb-garden", "fr"); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := formPost(t, saveURL, celineCookie, url.Values{"text": {"Visiter le jardin"}, "base_draft": {ls.Draft.SHA256}}); st != http.StatusSeeOther {
		t.Errorf("form save on the current draft: %d", st)
	}

	// The preview is the page as it would be published, from the current draft.
	claire.run(chromedp.Navigate(taskURL+"/preview"), chromedp.WaitVisible(`#content`))
	if lang, body := claire.eval(`document.documentElement.lang`), claire.eval(`document.body.innerText`); lang != "fr" || !strings.Contains(body, celineText) {
		t.Errorf("preview: lang %q, text %q (want the current draft)", lang, body)
	}
	claire.shot("preview")

	// Amal: her Arabic task is right to left; the French one is refused by URL.
	amal := session("amal")
	amal.signIn(base, "amal", passwords["amal"])
	amal.run(chromedp.Navigate(base+"/workbench/tasks/wb-garden/ar"), chromedp.WaitVisible(`textarea[name=text]`))
	dir, lang := amal.eval(`getComputedStyle(document.querySelector("textarea[name=text]")).direction`), amal.eval(`document.querySelector("textarea[name=text]").lang`)
	if dir != "rtl" || lang != "ar" {
		t.Errorf("Arabic target box: direction %q, lang %q", dir, lang)
	}
	amal.run(chromedp.Click(`nav.langs a[hreflang=ar]`), chromedp.WaitVisible(`html[lang=ar]`))
	if d := amal.eval(`getComputedStyle(document.documentElement).direction`); d != "rtl" {
		t.Errorf("Arabic interface direction %q", d)
	}
	amal.shot("task-ar-rtl")
	if st := amal.eval(`fetch("/workbench/tasks/wb-garden/fr").then(r => String(r.status))`); st != "403" {
		t.Errorf("amal opening the French task: %s, want 403", st)
	}
	amal.run(chromedp.Navigate(base + "/workbench/tasks/wb-garden/fr"))
	amal.shot("other-locale-403")
	// Her CAT tool round trip: download the XLIFF, change the title, upload it.
	amalCookie := sessionCookie(t, amal, base)
	xlf := httpDo(t, http.MethodGet, base+"/workbench/tasks/wb-garden/ar/xliff", amalCookie, "", nil)
	open := strings.Index(xlf, "<target")
	start, end := open+strings.Index(xlf[max(open, 0):], ">")+1, strings.Index(xlf, "</target>")
	if open < 0 || end < start {
		t.Fatalf("XLIFF download has no target:\n%s", xlf)
	}
	arTitle := "افتتاح حديقة القراءة"
	xlf = xlf[:start] + arTitle + xlf[end:]
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "wb-garden.ar.xlf")
	fw.Write([]byte(xlf))
	mw.Close()
	httpDo(t, http.MethodPost, base+"/workbench/tasks/wb-garden/ar/xliff", amalCookie, mw.FormDataContentType(), &body)
	if d, err := svc.TaskDetail(ctx, "wb-garden", "ar"); err != nil || targetOf(d, "title") != arTitle {
		t.Errorf("after the XLIFF upload the Arabic title is %q (%v)", targetOf(d, "title"), err)
	}
	amal.run(chromedp.Navigate(base+"/workbench/tasks/wb-garden/ar"), chromedp.WaitVisible(`#approve`))
	amal.shot("xliff-imported")
	amal.run(chromedp.Click(`#approve`), chromedp.WaitVisible(`.flash`))
	amal.shot("approved-ar")

	// Claire reloads (the draft moved on) and approves French as a plain form post.
	claire.run(chromedp.Navigate(taskURL), chromedp.WaitVisible(`#approve`), chromedp.Click(`#approve`), chromedp.WaitVisible(`.flash`))
	claire.shot("approved-fr")

	// A form on another origin posting to the workbench with Edith's cookie is refused.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A button, not a script submitting during load: chromedp's
		// Navigate waits for the load event of a page that a submit
		// during load replaces, and may never see it.
		fmt.Fprintf(w, `<!doctype html><form id=f method=post action="%s/workbench/reports/wb-garden/cancel"><button id=go>Win a prize</button></form>`, base)
	}))
	defer evil.Close()
	edith.run(chromedp.Navigate(evil.URL), chromedp.WaitVisible(`#go`), chromedp.Click(`#go`), chromedp.WaitVisible(`#page-error`))
	edith.shot("cross-site-refused")
	if st, err := svc.Status(ctx, "wb-garden"); err != nil || st.Stage == workflows.StageCancelled {
		t.Fatalf("a cross-site form post cancelled the report (stage %s, %v)", st.Stage, err)
	}

	// Edith switches to Chinese, waits for the gate, approves; the page is published.
	edith.run(chromedp.Navigate(base+"/workbench/reports"), chromedp.WaitVisible(`#reports`),
		chromedp.Click(`nav.langs a[hreflang="zh-Hans"]`), chromedp.WaitVisible(`html[lang="zh-Hans"]`))
	edith.shot("reports-zh")
	eventually(t, time.Minute, "awaiting approval", func() error {
		st, err := svc.Status(ctx, "wb-garden")
		if err != nil || st.Stage != workflows.StageAwaitingApproval {
			return fmt.Errorf("stage %s (%v)", st.Stage, err)
		}
		return nil
	})
	edith.run(chromedp.Navigate(base+"/workbench/reports/wb-garden"), chromedp.WaitVisible(`#approve-report`))
	edith.shot("report-gate")
	edith.run(chromedp.Click(`#approve-report`), chromedp.WaitVisible(`.flash`))
	if _, err := svc.Wait(ctx, "wb-garden"); err != nil {
		t.Fatal(err)
	}
	edith.run(chromedp.Navigate(base+"/workbench/reports/wb-garden"), chromedp.WaitVisible(`.release`))
	edith.shot("published")
	edith.run(chromedp.Click(`.release a[hreflang=fr]`), chromedp.WaitVisible(`#content`))
	if page := edith.eval(`document.body.innerText`); !strings.Contains(page, celineText) {
		t.Errorf("the published French page lacks the saved text: %q", page)
	}
	edith.shot("reader-fr")

	// Sign-out ends the session on the server: the old cookie is refused.
	old := sessionCookie(t, claire, base)
	claire.run(chromedp.Click(`.signout button`), chromedp.WaitVisible(`#username`))
	claire.shot("signed-out")
	req, _ := http.NewRequest(http.MethodGet, base+"/workbench/tasks", nil)
	req.AddCookie(&http.Cookie{Name: "pressroom_session", Value: old})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if old == "" || res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/workbench/signin") {
		t.Errorf("the session cookie after sign-out: %d to %q, want a redirect to sign in", res.StatusCode, res.Header.Get("Location"))
	}
}

func targetOf(d service.TaskDetail, id string) string {
	for _, s := range d.Segments {
		if s.ID == id {
			return s.Target
		}
	}
	return ""
}

// sessionCookie reads a browser's session cookie (HttpOnly, so through
// the DevTools protocol) and checks its attributes.
func sessionCookie(t *testing.T, b *browser, base string) string {
	t.Helper()
	got, err := chromedp.Run(b.ctx, func(ctx context.Context, tg *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/workbench/"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got.Cookies {
		if c.Name == "pressroom_session" {
			if !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax {
				t.Errorf("session cookie: HttpOnly %v, SameSite %s", c.HTTPOnly, c.SameSite)
			}
			return c.Value
		}
	}
	t.Fatalf("%s has no session cookie", b.name)
	return ""
}

// httpDo makes a request with a session cookie, as a script outside the
// browser would, following redirects; it fails the test on a non-2xx.
func httpDo(t *testing.T, method, u, cookie, contentType string, body io.Reader) string {
	t.Helper()
	req, _ := http.NewRequest(method, u, body)
	req.AddCookie(&http.Cookie{Name: "pressroom_session", Value: cookie})
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d\n%s", method, u, res.StatusCode, b)
	}
	return string(b)
}

// formPost posts a form with a session cookie, without following the
// redirect: status, Location and body.
func formPost(t *testing.T, u, cookie string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "pressroom_session", Value: cookie})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}
