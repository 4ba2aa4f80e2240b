package integration

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/internal/workbench"
	"github.com/pressroom/pressroom/workflows"
)

// workbenchTaskPages walks claire's "My tasks" in Chromium in pages of
// two, from the keyboard (the next-page link focused, Enter), and checks
// the pages hold want — the workflow IDs of her tasks — each once; the
// first page again in Arabic (right to left) and Chinese, and the empty
// list of a translator with no task. Part of TestTaskListFiltersAndPages,
// whose tasks it reads.
func workbenchTaskPages(t *testing.T, svc *service.Service, locales, want []string) {
	chromium := needChromium(t)
	users := testUsers(t, testUser{"claire", auth.RoleTranslator, locales}, testUser{"yann", auth.RoleTranslator, []string{"de-CH"}})
	log := slog.New(slog.DiscardHandler)
	wb := workbench.New(svc, users, log)
	wb.TaskPage = 2
	site := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc, Users: users, Log: log}, wb.Handler()))
	defer site.Close()
	base := site.URL

	root := headless(t, chromium, 1100, 700, 3*time.Minute)
	session := browserSessions(t, root)
	// rows are the workflow IDs of the page's tasks, from their links.
	rows := func(b *browser) []string {
		t.Helper()
		js := `Array.from(document.querySelectorAll("#tasks tbody tr td:first-child a")).map(a => a.getAttribute("href")).join(" ")`
		var ids []string
		for _, href := range strings.Fields(b.eval(js)) {
			parts := strings.Split(strings.TrimPrefix(href, "/workbench/tasks/"), "/")
			if len(parts) != 2 {
				t.Fatalf("task link %q", href)
			}
			ids = append(ids, workflows.LocaleID(parts[0], parts[1]))
		}
		return ids
	}

	claire := session("claire")
	claire.signIn(base, "claire", testPassword("claire"))
	claire.run(chromedp.Navigate(base+"/workbench/tasks"), chromedp.WaitVisible(`#tasks`))
	claire.shot("tasks-page1-en")
	if txt := claire.eval(`document.querySelector("main").innerText`); !strings.Contains(txt, fmt.Sprintf("%d tasks", len(want))) || !strings.Contains(txt, "Page 1 of 3") {
		t.Errorf("page 1 does not say %d tasks, page 1 of 3: %q", len(want), txt)
	}
	var seen []string
	for page := 1; ; page++ {
		ids := rows(claire)
		if len(ids) == 0 || len(ids) > 2 {
			t.Fatalf("page %d shows %d tasks, want 1 or 2 (pages of 2)", page, len(ids))
		}
		for _, id := range ids {
			if slices.Contains(seen, id) {
				t.Errorf("%s on two pages", id)
			}
			seen = append(seen, id)
		}
		if claire.eval(`String(!!document.querySelector("#next-page"))`) != "true" || page > 5 {
			if claire.eval(`String(!!document.querySelector("#first-page"))`) != "true" {
				t.Errorf("page %d (the last) has no link back to the first page", page)
			}
			claire.shot(fmt.Sprintf("tasks-page%d-last", page))
			break
		}
		// From the keyboard: the link takes the focus and Enter follows it.
		before := claire.eval(`location.href`)
		claire.run(chromedp.Focus(`#next-page`), chromedp.KeyEvent(kb.Enter))
		claire.waitJS("the next page", fmt.Sprintf(`location.href !== %q && document.readyState === "complete" && document.querySelector("#tasks")`, before))
		if page == 1 {
			claire.shot("tasks-page2")
		}
	}
	slices.Sort(seen)
	if !slices.Equal(seen, want) {
		t.Errorf("the workbench's pages hold %v; want every task once: %v", seen, want)
	}
	claire.run(chromedp.Click(`#first-page`), chromedp.WaitVisible(`#tasks`))
	if got := rows(claire); len(got) != 2 || claire.eval(`String(!!document.querySelector("#next-page"))`) != "true" {
		t.Errorf("back on the first page: %v, want two tasks and a next-page link", got)
	}

	for _, lang := range []string{"ar", "zh-Hans"} {
		claire.run(chromedp.Navigate(base+"/workbench/lang/"+lang+"?next=/workbench/tasks"), chromedp.WaitVisible(`#next-page`))
		claire.shot("tasks-page1-" + lang)
		if got := claire.eval(`document.documentElement.lang + " " + document.documentElement.dir`); lang == "ar" && got != "ar rtl" {
			t.Errorf("Arabic task list: html %q, want lang ar, dir rtl", got)
		}
		if next := claire.eval(`document.querySelector("#next-page").innerText`); strings.Contains(next, "Next") {
			t.Errorf("%s next-page link not translated: %q", lang, next)
		}
	}

	// A link with a token the workbench did not make starts again from
	// the first page.
	claire.run(chromedp.Navigate(base+"/workbench/tasks?page=2&after=bm90IGEgdG9rZW4"), chromedp.WaitVisible(`#tasks`))
	if u := claire.eval(`location.pathname + location.search`); u != "/workbench/tasks" {
		t.Errorf("a made-up page link ended at %q, want the first page", u)
	}

	yann := session("yann")
	yann.signIn(base, "yann", testPassword("yann"))
	yann.run(chromedp.Navigate(base+"/workbench/tasks"), chromedp.WaitVisible(`p.empty`))
	yann.shot("tasks-empty")
	if yann.eval(`String(!!document.querySelector("#tasks, #next-page"))`) != "false" {
		t.Error("the empty list shows a table or a next-page link")
	}
}
