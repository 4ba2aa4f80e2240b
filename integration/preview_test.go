package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/workflows"
)

const previewReport = `---
title: Water levels this spring
slug: preview-water
source: en
summary: The river rose faster than forecast.
---

The river rose 40 cm in March.

Boats may dock again from 1 May.
`

// What the reviewers typed: real Arabic and Chinese, so the preview
// shows their drafts and not machine output.
var previewEdits = map[string][]string{
	"ar":      {"مستويات المياه هذا الربيع", "ارتفع النهر أسرع من المتوقع.", "ارتفع النهر 40 سم في مارس."},
	"zh-Hans": {"今年春季的水位", "河水上涨速度超过预期。", "三月份河水上涨了40厘米。"},
}

type previewLinkJSON struct {
	ID      string            `json:"id"`
	Expires time.Time         `json:"expires"`
	URLs    map[string]string `json:"urls"`
}

// Issue 10: `pressroom preview` makes a signed, expiring link to a
// running report's current drafts on the reader site: rendered as the
// real page, marked preview and noindex; a forged link is refused (403),
// an expired or revoked one is gone (410).
func TestPreviewLinkWorksExpiresAndIsRevoked(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const queue = "it-preview"
	svc := inProcessWorker(t, queue)
	res, err := svc.Submit(ctx, service.SubmitRequest{Name: "water.md", Data: []byte(previewReport), Options: report.Options{Targets: []string{"ar", "zh-Hans"}}})
	if err != nil {
		t.Fatal(err)
	}
	slug := res.Slug
	t.Cleanup(func() { _ = svc.Cancel(context.Background(), slug) })
	for _, l := range res.Targets {
		eventually(t, 2*time.Minute, l+" in review", func() error {
			ls, err := svc.LocaleStatus(ctx, slug, l)
			if err == nil && ls.Stage != workflows.StageInReview {
				err = fmt.Errorf("stage %s", ls.Stage)
			}
			return err
		})
		ls, err := svc.LocaleStatus(ctx, slug, l)
		if err != nil {
			t.Fatal(err)
		}
		src, err := svc.Source(ctx, ls.Source)
		if err != nil {
			t.Fatal(err)
		}
		edits := map[string]string{}
		for i, seg := range src.Segments[:3] {
			edits[seg.ID] = previewEdits[l][i]
		}
		if _, err := svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: l, Reviewer: "rev-" + l, Action: workflows.ActionEdit, Edits: edits}); err != nil {
			t.Fatal(err)
		}
	}
	site := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc}))
	defer site.Close()
	dir := t.TempDir()
	makeLink := func(args ...string) previewLinkJSON {
		t.Helper()
		out := mustPressroom(t, dir, queue, append([]string{"preview", slug, "--as", "edith", "--json"}, args...)...)
		var l previewLinkJSON
		if err := json.Unmarshal([]byte(out), &l); err != nil {
			t.Fatalf("preview --json: %v\n%s", err, out)
		}
		return l
	}
	get := func(path string) (int, string, http.Header) { return siteGet(t, site.URL, path) }

	if r := pressroom(t, dir, queue, "preview", slug, "--as", "edith", "--ttl", "900h"); r.code != 2 || !strings.Contains(r.stderr, "--ttl") {
		t.Errorf("preview with a too long ttl: exit %d %s", r.code, r.stderr)
	}
	if r := pressroom(t, dir, queue, "preview", "no-such-report", "--as", "edith"); r.code != 4 {
		t.Errorf("preview of an unknown report: exit %d %s", r.code, r.stderr)
	}

	text := mustPressroom(t, dir, queue, "preview", slug, "--as", "edith", "--locale", "ar")
	t.Logf("pressroom preview %s --locale ar:\n%s", slug, text)
	if !strings.Contains(text, "Preview ") || !strings.Contains(text, "/preview/") || !strings.Contains(text, "/ar/"+slug+"/") || !strings.Contains(text, "PRESSROOM_SITE_URL") {
		t.Errorf("preview output:\n%s", text)
	}
	link := makeLink("--ttl", "1h")
	if len(link.URLs) != 3 {
		t.Fatalf("preview of every locale: %+v", link)
	}
	for l, want := range map[string]string{"en": "Water levels this spring", "ar": previewEdits["ar"][0], "zh-Hans": previewEdits["zh-Hans"][2]} {
		code, body, hdr := get(link.URLs[l])
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s preview: %d, lacks %q", l, code, want)
			continue
		}
		if !strings.Contains(body, `class="preview"`) || !strings.Contains(body, `<meta name="robots" content="noindex, nofollow">`) ||
			strings.Contains(body, `rel="canonical"`) || !strings.Contains(body, `lang="`+l+`"`) || !strings.Contains(body, `class="site" href="/`+l+`/"`) {
			t.Errorf("%s preview is not marked preview/noindex:\n%s", l, body)
		}
		if !strings.HasPrefix(hdr.Get("X-Robots-Tag"), "noindex") || hdr.Get("Cache-Control") != "no-store" {
			t.Errorf("%s preview headers: %v", l, hdr)
		}
	}
	if code, _, _ := get("/ar/" + slug + "/"); code != 404 {
		t.Errorf("the report is not published, yet /ar/%s/ answers %d", slug, code)
	}
	// A forged token: the payload of another claim under this signature.
	payload, sig, _ := strings.Cut(strings.Split(link.URLs["ar"], "/")[2], ".")
	forged := strings.Replace(link.URLs["ar"], payload+"."+sig, payload+"x."+sig, 1)
	if code, body, _ := get(forged); code != http.StatusForbidden || !strings.Contains(body, "not valid") {
		t.Errorf("forged link: %d %s", code, body)
	}

	one := makeLink("--locale", "ar", "--ttl", "1h")
	if len(one.URLs) != 1 || one.URLs["ar"] == "" {
		t.Fatalf("preview --locale ar: %+v", one)
	}
	if code, _, _ := get(strings.Replace(one.URLs["ar"], "/ar/", "/zh-Hans/", 1)); code != http.StatusNotFound {
		t.Errorf("a locale outside a one-locale link: %d, want 404", code)
	}

	// Expiry: a link of a few seconds works, then is gone.
	short := makeLink("--locale", "zh-Hans", "--ttl", "6s")
	if code, _, _ := get(short.URLs["zh-Hans"]); code != 200 && time.Now().Before(short.Expires) {
		t.Errorf("short link before its expiry: %d", code)
	}
	time.Sleep(time.Until(short.Expires) + 1100*time.Millisecond)
	if code, body, _ := get(short.URLs["zh-Hans"]); code != http.StatusGone || !strings.Contains(body, "expired") {
		t.Errorf("short link after its expiry: %d %s", code, body)
	}

	// Revocation: one link by ID, then every link of the report.
	mustPressroom(t, dir, queue, "preview", "revoke", one.ID, "--as", "edith")
	if code, body, _ := get(one.URLs["ar"]); code != http.StatusGone || !strings.Contains(body, "revoked") {
		t.Errorf("revoked link: %d %s", code, body)
	}
	if code, _, _ := get(link.URLs["ar"]); code != 200 {
		t.Errorf("another link after revoking one: %d", code)
	}
	mustPressroom(t, dir, queue, "preview", "revoke", slug, "--as", "edith")
	if code, _, _ := get(link.URLs["ar"]); code != http.StatusGone {
		t.Errorf("link after revoking the report's links: %d", code)
	}
	fresh := makeLink()
	if code, _, _ := get(fresh.URLs["ar"]); code != 200 {
		t.Errorf("a link made after the revocation: %d", code)
	}

	screenshots(t, site.URL, map[string]string{
		"preview-ar.png": fresh.URLs["ar"], "preview-zh.png": fresh.URLs["zh-Hans"], "preview-revoked.png": one.URLs["ar"],
		"preview-forged.png": forged, "preview-expired.png": short.URLs["zh-Hans"],
	})
	workbenchPreviewButton(t, svc, slug)
}

// workbenchPreviewButton: an editor presses the report page's preview
// button in the workbench and lands on the preview of the current drafts.
func workbenchPreviewButton(t *testing.T, svc *service.Service, slug string) {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is required under CI=true")
		}
		t.Log("workbench button not tried: chromium not installed (make browser)")
		return
	}
	users := testUsers(t, testUser{"edith", auth.RoleEditor, nil})
	site := workbenchSite(t, svc, users)
	ctx := headless(t, chromium, 1100, 800, 2*time.Minute)
	dir := os.Getenv("PRESSROOM_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	n := 0
	b := &browser{t: t, name: "edith", ctx: ctx, dir: dir, n: &n}
	b.signIn(site.URL, "edith", "pw-edith-2026")
	b.run(chromedp.Navigate(site.URL+"/workbench/reports/"+slug), chromedp.WaitVisible(`#preview-report`))
	b.shot("report-with-preview-button")
	b.run(chromedp.Click(`#preview-report`))
	b.waitJS("the preview page", `location.pathname.startsWith("/preview/") && document.querySelector(".preview")`)
	loc := b.eval(`location.pathname`)
	banner := b.eval(`document.querySelector(".preview").innerText`)
	robots := b.eval(`document.querySelector('meta[name="robots"]').content`)
	b.shot("preview-from-workbench")
	if !strings.HasPrefix(loc, "/preview/") || !strings.HasSuffix(loc, "/en/"+slug+"/") || !strings.Contains(banner, "Made by edith") || robots != "noindex, nofollow" {
		t.Errorf("workbench preview button led to %s (banner %q, robots %q)", loc, banner, robots)
	}
}

// screenshots takes a full-page screenshot of each path in headless
// Chromium into PRESSROOM_SCREENSHOT_DIR (or a temporary folder), and
// checks the Arabic preview is laid out right to left with its banner.
func screenshots(t *testing.T, base string, shots map[string]string) {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is required under CI=true")
		}
		t.Log("no screenshots: chromium not installed (make browser)")
		return
	}
	out := os.Getenv("PRESSROOM_SCREENSHOT_DIR")
	if out == "" {
		out = t.TempDir()
	}
	ctx := headless(t, chromium, 900, 760, 2*time.Minute)
	for name, path := range shots {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible("#content")); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "preview-ar.png" {
			dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.documentElement).direction`))
			if err != nil {
				t.Fatal(err)
			}
			banner, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(".preview")||{}).innerText||""`))
			if err != nil {
				t.Fatal(err)
			}
			if dir != "rtl" || !strings.Contains(banner, "معاينة") {
				t.Errorf("Arabic preview: direction %q, banner %q", dir, banner)
			}
		}
		// The viewport, not FullScreenshot: the off-screen skip link of a
		// right-to-left page would widen a full-page capture.
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", out)
}

// Issue 10 review: a report whose slug looks like a link ID (16 hex
// digits) has its links revoked by DELETE /api/reports/{slug}/previews and
// by `pressroom preview revoke SLUG`, which says what it revoked; a name
// that is neither a link ID nor a known report is refused.
func TestPreviewRevokeSlugThatLooksLikeAnID(t *testing.T) {
	ctx := context.Background()
	const slug = "0123456789abcdef"
	if _, err := runPublish(env.store, stagePublish(t, env.store, slug, "Hex slug", []string{"fr"}, time.Now().Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	link := preview.Claims{ID: preview.NewID(), Slug: slug, Locales: []string{"en"}, Issued: time.Now().Add(-time.Minute).UnixNano()}
	if err := preview.Check(ctx, env.store, link); err != nil {
		t.Fatalf("the link before any revocation: %v", err)
	}
	path := filepath.Join(t.TempDir(), "users.json")
	var token string
	if err := auth.Update(path, func(u *auth.Users) error {
		var err error
		token, err = u.Add("edith", auth.RoleEditor, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	users, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(web.Routes(env.store, &web.API{Svc: env.svc, Users: users}))
	defer api.Close()
	del := func(p string) (int, string) {
		req, _ := http.NewRequest(http.MethodDelete, api.URL+p, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := del("/api/reports/" + slug + "/previews"); code != http.StatusOK || !strings.Contains(body, `"slug": "`+slug+`"`) {
		t.Errorf("DELETE the report's previews: %d %s", code, body)
	}
	if err := preview.Check(ctx, env.store, link); !errors.Is(err, preview.ErrRevoked) {
		t.Errorf("the link after DELETE /api/reports/%s/previews: %v, want revoked", slug, err)
	}
	if code, body := del("/api/reports/no-such-report-here/previews"); code != http.StatusNotFound {
		t.Errorf("DELETE the previews of an unknown report: %d %s", code, body)
	}

	dir := t.TempDir()
	out := mustPressroom(t, dir, "it-preview-hex", "preview", "revoke", slug, "--as", "edith")
	t.Logf("pressroom preview revoke %s:\n%s", slug, out)
	if !strings.Contains(out, "every preview link of report "+slug) {
		t.Errorf("preview revoke of the hex slug said %q", out)
	}
	id := preview.NewID()
	if out := mustPressroom(t, dir, "it-preview-hex", "preview", "revoke", id, "--as", "edith"); !strings.Contains(out, "preview link ID "+id) {
		t.Errorf("preview revoke of a link ID said %q", out)
	}
	r := pressroom(t, dir, "it-preview-hex", "preview", "revoke", "no-such-report-here", "--as", "edith")
	t.Logf("pressroom preview revoke no-such-report-here: exit %d\n%s", r.code, r.stderr)
	if r.code != 4 || !strings.Contains(r.stderr, "neither a preview link ID") {
		t.Errorf("preview revoke of an unknown name: exit %d %s", r.code, r.stderr)
	}
}
