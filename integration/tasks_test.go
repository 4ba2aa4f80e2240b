package integration

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/workflows"
)

// The task list is filtered in Temporal's visibility query (a translator's
// own tasks and their locales' pools) and comes in pages that together
// hold every task once. Regional tags no other test uses keep the counts
// to this test's reports.
func TestTaskListFiltersAndPages(t *testing.T) {
	svc := inProcessWorker(t, "it-tasks")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	targets := []string{"fr-CH", "it-CH"}
	for i := range 3 {
		doc := fmt.Sprintf("---\ntitle: Task list %d\nslug: task-list-%d\nsource: en\n---\n\nThe board met on day %d.\n", i, i, i+1)
		res, err := svc.Submit(ctx, service.SubmitRequest{Name: "t.md", Data: []byte(doc), Options: report.Options{Targets: targets},
			Reviewers: []workflows.Assignment{{Locale: "fr-CH", User: "claire"}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = svc.Cancel(context.Background(), res.Slug) })
	}
	eventually(t, 2*time.Minute, "six tasks in review", func() error {
		all, err := svc.Tasks(ctx, service.TaskFilter{Worker: "admin-like", WorkerLocales: targets})
		if err != nil {
			return err
		}
		if len(all) != 3 { // the it-CH pools; fr-CH belongs to claire
			return fmt.Errorf("%d pool tasks", len(all))
		}
		return nil
	})
	count := func(f service.TaskFilter) []service.Task {
		t.Helper()
		ts, err := svc.Tasks(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	claire := count(service.TaskFilter{Worker: "claire", WorkerLocales: []string{"fr-CH", "it-CH"}})
	if len(claire) != 6 {
		t.Errorf("claire (fr-CH assignee, it-CH pool) sees %d tasks, want 6: %+v", len(claire), claire)
	}
	if got := count(service.TaskFilter{Worker: "bernard", WorkerLocales: []string{"fr-CH"}}); len(got) != 0 {
		t.Errorf("bernard sees claire's tasks: %+v", got)
	}
	if got := count(service.TaskFilter{Worker: "nobody"}); len(got) != 0 {
		t.Errorf("a translator of no locale sees %+v", got)
	}
	if got := count(service.TaskFilter{Locale: "fr-CH", Assignee: "claire"}); len(got) != 3 {
		t.Errorf("claire's fr-CH tasks: %d, want 3", len(got))
	}

	// Pages of two: three pages, every task once.
	var paged []string
	var token []byte
	pages := 0
	for {
		page, next, err := svc.TasksPage(ctx, service.TaskFilter{Worker: "claire", WorkerLocales: targets}, 2, token)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 2 {
			t.Fatalf("page of %d tasks, asked for 2", len(page))
		}
		pages++
		for _, tk := range page {
			paged = append(paged, tk.ID)
		}
		if token = next; len(token) == 0 || pages > 10 {
			break
		}
	}
	var want []string
	for _, tk := range claire {
		want = append(want, tk.ID)
	}
	slices.Sort(paged)
	if !slices.Equal(paged, want) || pages < 3 {
		t.Errorf("%d pages gave %v; want every task once: %v", pages, paged, want)
	}
	if _, _, err := svc.TasksPage(ctx, service.TaskFilter{}, 2, []byte("not a token")); !errors.Is(err, service.ErrBadPageToken) {
		t.Errorf("a made-up page token: %v, want ErrBadPageToken", err)
	}

	// The same through the HTTP API, which answers one page at a time.
	users := &auth.Users{}
	tokens := map[string]string{}
	for _, u := range []struct {
		name    string
		role    auth.Role
		locales []string
	}{{"edith", auth.RoleEditor, nil}, {"claire", auth.RoleTranslator, targets}, {"marco", auth.RoleTranslator, []string{"it-CH"}}} {
		tok, err := users.Add(u.name, u.role, u.locales)
		if err != nil {
			t.Fatal(err)
		}
		tokens[u.name] = tok
	}
	srv := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc, Users: users}))
	defer srv.Close()
	get := func(user, query string) (int, []service.Task, string, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/tasks?"+query, nil)
		req.Header.Set("Authorization", "Bearer "+tokens[user])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var ts []service.Task
		if resp.StatusCode == http.StatusOK {
			if err := json.Unmarshal(b, &ts); err != nil {
				t.Fatalf("%s: %q: %v", query, b, err)
			}
		}
		return resp.StatusCode, ts, resp.Header.Get("Next-Page-Token"), string(b)
	}
	// follow reads every page of query, pages of size; each page holds at
	// most size tasks and every task comes once.
	follow := func(user, query string, size int) ([]string, int) {
		t.Helper()
		var ids []string
		token, pages := "", 0
		for {
			q := fmt.Sprintf("%s&page_size=%d&page_token=%s", query, size, url.QueryEscape(token))
			code, page, next, body := get(user, q)
			if code != http.StatusOK {
				t.Fatalf("%s GET /api/tasks?%s: %d %s", user, q, code, body)
			}
			if len(page) > size {
				t.Fatalf("%s: page of %d tasks, asked for %d", q, len(page), size)
			}
			pages++
			for _, tk := range page {
				if slices.Contains(ids, tk.ID) {
					t.Errorf("%s: %s on two pages", q, tk.ID)
				}
				ids = append(ids, tk.ID)
			}
			if token = next; token == "" || pages > 10 {
				break
			}
		}
		slices.Sort(ids)
		return ids, pages
	}
	idsOf := func(ts []service.Task) []string {
		var ids []string
		for _, tk := range ts {
			ids = append(ids, tk.ID)
		}
		slices.Sort(ids)
		return ids
	}
	if ids, pages := follow("claire", "", 2); !slices.Equal(ids, want) || pages < 3 {
		t.Errorf("claire's API pages of 2: %d pages gave %v; want every task once: %v", pages, ids, want)
	}
	itPool := idsOf(count(service.TaskFilter{Locale: "it-CH"}))
	if ids, pages := follow("marco", "", 2); len(itPool) != 3 || !slices.Equal(ids, itPool) || pages < 2 {
		t.Errorf("marco (it-CH pool) in pages of 2: %d pages gave %v; want %v", pages, ids, itPool)
	}
	claireFr := idsOf(count(service.TaskFilter{Locale: "fr-CH", Assignee: "claire"}))
	if ids, pages := follow("edith", "locale=fr-CH&assignee=claire", 2); len(claireFr) != 3 || !slices.Equal(ids, claireFr) || pages < 2 {
		t.Errorf("edith's ?locale=fr-CH&assignee=claire in pages of 2: %d pages gave %v; want %v", pages, ids, claireFr)
	}
	if ids, _ := follow("marco", "locale=fr-CH", 2); len(ids) != 0 {
		t.Errorf("marco (it-CH) asking for fr-CH sees %v", ids)
	}
	// Without page_size: the first page of the default size, which holds
	// all six here, and no token.
	if code, ts, next, body := get("claire", ""); code != http.StatusOK || !slices.Equal(idsOf(ts), want) || next != "" {
		t.Errorf("claire's default list: %d %q next %q; want all of %v on one page", code, body, next, want)
	}
	// A token Temporal refuses is the caller's mistake, said so.
	made := base64.RawURLEncoding.EncodeToString([]byte("not a token"))
	if code, _, _, body := get("claire", "page_size=2&page_token="+made); code != http.StatusBadRequest || !strings.Contains(body, "page_token") {
		t.Errorf("a made-up page token: %d %s; want 400 naming page_token", code, body)
	}
	t.Run("workbench", func(t *testing.T) { workbenchTaskPages(t, svc, targets, want) })

	// claire's token is no way into another filter's list.
	_, _, clairesNext, _ := get("claire", "page_size=2")
	if code, _, _, body := get("marco", "page_size=2&page_token="+url.QueryEscape(clairesNext)); clairesNext == "" || code != http.StatusBadRequest {
		t.Errorf("marco with claire's token %q: %d %s; want 400", clairesNext, code, body)
	}
}
