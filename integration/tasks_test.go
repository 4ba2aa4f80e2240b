package integration

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
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
	if _, _, err := svc.TasksPage(ctx, service.TaskFilter{}, 2, []byte("not a token")); err == nil {
		t.Error("a made-up page token was accepted")
	}
}
