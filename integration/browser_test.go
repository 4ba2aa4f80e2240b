package integration

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/internal/web"
)

const gardenReport = `---
title: Reading garden opens
slug: browser-garden
source: en
---

The garden has 40 seats and opens at 10:00.

A paragraph that holds <script>window.__injected = 1</script> shows it as text.
`

// A reader opens the published pages in a real browser (headless
// Chromium): Arabic is laid out right to left, report text holding a
// script stays text, the text-size control works under the page's
// Content-Security-Policy, and the language switcher leads to the other
// translation.
func TestReaderPagesInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is required under CI=true (make browser installs Debian's chromium)")
		}
		t.Skip("chromium not installed (make browser)")
	}
	svc := inProcessWorker(t, "it-browser")
	publish(t, svc, "garden.md", []byte(gardenReport), []string{"ar", "fr"})
	// Served as the servers serve it: behind web.Routes' security headers,
	// so the page must work under its header CSP too.
	site := httptest.NewServer(web.Routes(env.store, &web.API{}))
	defer site.Close()
	resp, err := http.Get(site.URL + "/ar/browser-garden/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'sha256-") ||
		resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("page headers: %v", resp.Header)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/ar/browser-garden/"), chromedp.WaitVisible("#content")); err != nil {
		t.Fatal(err)
	}
	dir := eval(`getComputedStyle(document.documentElement).direction`)
	lang := eval(`document.documentElement.lang`)
	injected := eval(`String(typeof window.__injected)`)
	body := eval(`document.body.innerText`)
	sizeHidden := eval(`String(document.querySelector(".size").hidden)`) == "true"
	sizeBefore := eval(`getComputedStyle(document.documentElement).fontSize`)
	if err := chromedp.Do(ctx, chromedp.Click(`button[data-size="125%"]`)); err != nil {
		t.Fatal(err)
	}
	sizeAfter := eval(`getComputedStyle(document.documentElement).fontSize`)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`nav a[hreflang="fr"]`), chromedp.WaitVisible(`html[lang="fr"] #content`)); err != nil {
		t.Fatal(err)
	}
	frURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("PRESSROOM_SCREENSHOT"); p != "" {
		os.WriteFile(p, shot, 0o644)
	} else {
		os.WriteFile(filepath.Join(t.TempDir(), "ar.png"), shot, 0o644)
	}
	if dir != "rtl" || lang != "ar" {
		t.Errorf("Arabic page: direction %q, lang %q", dir, lang)
	}
	if injected != "undefined" || !strings.Contains(body, "<script>") || !strings.Contains(body, "</script>") {
		t.Errorf("report text ran as script (window.__injected is %s) or was not shown as text", injected)
	}
	if sizeHidden {
		t.Error("the text-size control stayed hidden: its script did not run under the page's CSP")
	}
	if sizeBefore == sizeAfter {
		t.Errorf("text size did not change: %s → %s", sizeBefore, sizeAfter)
	}
	if !strings.HasSuffix(frURL, "/fr/browser-garden/") {
		t.Errorf("language switcher led to %s", frURL)
	}
}
