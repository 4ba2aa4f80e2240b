package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pressroom/pressroom/internal/service"
)

// taskPager is the part of the service the task list pages through.
type taskPager interface {
	TasksPage(ctx context.Context, f service.TaskFilter, size int, token []byte) ([]service.Task, []byte, error)
}

// allTasks follows the task list's pages (MaxTaskPage at a time, newest
// first) until the last one or until limit tasks (0: no limit), and
// returns them sorted by workflow ID. Each page after the first is
// announced on progress, so a long list does not look stuck.
func allTasks(ctx context.Context, svc taskPager, f service.TaskFilter, limit int, progress io.Writer) ([]service.Task, error) {
	var out []service.Task
	var token []byte
	for {
		size := service.MaxTaskPage
		if limit > 0 {
			size = min(size, limit-len(out))
		}
		page, next, err := svc.TasksPage(ctx, f, size, token)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if token = next; len(token) == 0 || (limit > 0 && len(out) >= limit) {
			break
		}
		fmt.Fprintf(progress, "pressroom tasks: %d listed, reading the next page\n", len(out))
	}
	slices.SortFunc(out, func(a, b service.Task) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// nextPageCommand is the command that lists the page after this one: the
// token is valid only with the same filters, so they are repeated.
func nextPageCommand(f service.TaskFilter, asJSON bool, size int, next []byte) string {
	args := []string{"pressroom", "tasks"}
	for _, fl := range []struct{ name, v string }{{"--assignee", f.Assignee}, {"--locale", f.Locale}, {"--slug", f.Slug}} {
		if fl.v != "" {
			args = append(args, fl.name, fl.v)
		}
	}
	if asJSON {
		args = append(args, "--json")
	}
	return strings.Join(append(args, "--page-size", fmt.Sprint(size), "--page", base64.RawURLEncoding.EncodeToString(next)), " ")
}
