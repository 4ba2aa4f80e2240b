package integration

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/internal/workbench"
	"github.com/pressroom/pressroom/workflows"
)

// BenchmarkTaskEditor1000 measures the task editor of a 1,000-segment
// report on the real stack: the workbench page (TaskDetail from Temporal
// and S3, then HTML), the same task from the JSON API as the baseline,
// and the page loaded in headless Chromium (navigation timing: the
// document parsed and the script run, then the load event). The editor
// shows 100 segments a page.
//
//	go test ./integration -run '^$' -bench TaskEditor1000 -benchtime 10x
func BenchmarkTaskEditor1000(b *testing.B) {
	const queue = "bench-workbench"
	w := app.NewWorker(env.client, queue, &activities.Activities{Store: env.store, Translator: mt.NewRouter(nil, []mt.Provider{mt.Pseudo{}}),
		Memories: &tmstore.Memories{Store: env.store}, QA: qa.DefaultConfig()})
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	defer w.Stop()
	svc := &service.Service{Temporal: env.client, Store: env.store, TaskQueue: queue}
	var doc strings.Builder
	doc.WriteString("---\ntitle: A thousand paragraphs\nslug: bench-1000\n---\n")
	for i := range 999 {
		fmt.Fprintf(&doc, "\nParagraph %d of the long report: the committee met %d times and agreed on item %d.\n", i, i%7+2, i*3)
	}
	ctx := context.Background()
	res, err := svc.Submit(ctx, service.SubmitRequest{Name: "bench.md", Data: []byte(doc.String()), Options: report.Options{Targets: []string{"fr"}}})
	if err != nil {
		b.Fatal(err)
	}
	if res.Segments != 1000 {
		b.Fatalf("%d segments, want 1000", res.Segments)
	}
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(250 * time.Millisecond) {
		ls, err := svc.LocaleStatus(ctx, res.Slug, "fr")
		if err == nil && ls.Stage == workflows.StageInReview {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("not in review after 3 minutes: %v %v", ls.Stage, err)
		}
	}
	path := filepath.Join(b.TempDir(), "users.json")
	var token string
	if err := auth.Update(path, func(u *auth.Users) (err error) {
		if token, err = u.Add("claire", auth.RoleTranslator, []string{"fr"}); err != nil {
			return err
		}
		return u.SetPassword("claire", "bench password")
	}); err != nil {
		b.Fatal(err)
	}
	users, err := auth.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	srv := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc, Users: users}, workbench.New(svc, users, log).Handler()))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	signin, err := client.PostForm(srv.URL+"/workbench/signin", url.Values{"username": {"claire"}, "password": {"bench password"}})
	if err != nil {
		b.Fatal(err)
	}
	signin.Body.Close()
	cookies := signin.Cookies()
	if len(cookies) == 0 {
		b.Fatalf("sign-in: %d, no cookie", signin.StatusCode)
	}
	get := func(b *testing.B, path string, auth func(*http.Request)) int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		auth(req)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", path, res.StatusCode)
		}
		return int(n)
	}
	b.Run("workbench-html", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = get(b, "/workbench/tasks/bench-1000/fr", func(r *http.Request) { r.AddCookie(cookies[0]) })
		}
		b.ReportMetric(float64(n)/1024, "KiB/page")
	})
	b.Run("api-json-baseline", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = get(b, "/api/tasks/bench-1000/fr", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) })
		}
		b.ReportMetric(float64(n)/1024, "KiB/page")
	})
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		b.Log("chromium not installed: no browser measurement")
		return
	}
	b.Run("chromium-load", func(b *testing.B) {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.UserDataDir(b.TempDir()))
		actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
		defer cancel()
		bctx, cancel := chromedp.NewContext(actx)
		defer cancel()
		if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/workbench/signin"), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, "claire"), chromedp.SendKeys(`#password`, "bench password"),
			chromedp.Submit(`#password`), chromedp.WaitVisible(`.signout`)); err != nil {
			b.Fatal(err)
		}
		var dcl, load float64
		for b.Loop() {
			if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/workbench/tasks/bench-1000/fr"), chromedp.WaitVisible(`#task`)); err != nil {
				b.Fatal(err)
			}
			t, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](`(() => { const n = performance.getEntriesByType("navigation")[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd] })()`))
			if err != nil {
				b.Fatal(err)
			}
			dcl += t[0]
			load += t[1]
		}
		b.ReportMetric(dcl/float64(b.N), "ms-to-DOMContentLoaded")
		b.ReportMetric(load/float64(b.N), "ms-to-load")
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("form.tgt").length + (document.getElementById("next-page") ? 10000 : 0)`))
		if err != nil || n != 10100 {
			b.Fatalf("the page shows %d segments and a next-page link: %d (%v)", n%10000, n/10000, err)
		}
	})
}
