package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/service"
)

// fakePager serves n tasks newest first (highest number first) in pages,
// the token being the index of the next task.
type fakePager struct {
	n     int
	sizes []int // the page sizes asked for
}

func (p *fakePager) TasksPage(_ context.Context, _ service.TaskFilter, size int, token []byte) ([]service.Task, []byte, error) {
	p.sizes = append(p.sizes, size)
	from := 0
	if len(token) > 0 {
		from, _ = strconv.Atoi(string(token))
	}
	var out []service.Task
	for i := from; i < p.n && len(out) < size; i++ {
		out = append(out, service.Task{ID: fmt.Sprintf("task-%05d", p.n-1-i)})
	}
	if from+len(out) >= p.n {
		return out, nil, nil
	}
	return out, []byte(strconv.Itoa(from + len(out))), nil
}

func TestAllTasksFollowsEveryPage(t *testing.T) {
	p := &fakePager{n: 2*service.MaxTaskPage + 5}
	var progress bytes.Buffer
	got, err := allTasks(context.Background(), p, service.TaskFilter{}, 0, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != p.n || len(p.sizes) != 3 {
		t.Fatalf("%d tasks in %d pages, want %d in 3", len(got), len(p.sizes), p.n)
	}
	for i, tk := range got { // every task once, sorted by ID
		if want := fmt.Sprintf("task-%05d", i); tk.ID != want {
			t.Fatalf("task %d is %s, want %s", i, tk.ID, want)
		}
	}
	if lines := strings.Count(progress.String(), "\n"); lines != 2 || !strings.Contains(progress.String(), "2000 listed") {
		t.Errorf("progress %q: want a line after each of the first two pages", progress.String())
	}

	// --limit: the newest N, asking for no more than it needs.
	p = &fakePager{n: 50}
	got, err = allTasks(context.Background(), p, service.TaskFilter{}, 7, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 || got[0].ID != "task-00043" || got[6].ID != "task-00049" || p.sizes[0] != 7 {
		t.Errorf("--limit 7: %v (page sizes %v), want the newest 7 in one page", got, p.sizes)
	}
}

// Bad paging flags are usage errors, found before connecting to anything.
func TestTasksPagingFlags(t *testing.T) {
	for args, want := range map[string]string{
		"--page-size 0":            `--page-size="0": want an integer from 1 to 1000`,
		"--page-size 1001":         `--page-size="1001"`,
		"--limit -1":               "--limit -1",
		"--limit 5 --page-size 10": "choose one",
		"--page !!":                `--page "!!": not a token`,
	} {
		root := newRoot()
		root.SetArgs(append([]string{"tasks", "--temporal-address", "127.0.0.1:1"}, strings.Fields(args)...))
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		err := root.Execute()
		var usage usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), want) {
			t.Errorf("tasks %s: %v, want a usage error saying %q", args, err, want)
		}
	}
}

// The next page's command repeats the filters its token is bound to.
func TestNextPageCommandKeepsTheFilters(t *testing.T) {
	got := nextPageCommand(service.TaskFilter{Locale: "ar", Assignee: "amal"}, true, 50, []byte("tok"))
	if want := "pressroom tasks --assignee amal --locale ar --json --page-size 50 --page dG9r"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
