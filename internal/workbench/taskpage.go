package workbench

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"golang.org/x/sync/errgroup"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

// TaskListPage is how many tasks one page of "My tasks" shows. Each row
// asks its workflow for its status and reads its report's title, so a
// page is bounded however many tasks wait.
const TaskListPage = 50

// rowLookups bounds the status queries one page makes at once.
const rowLookups = 8

// taskList is one page of "My tasks".
type taskList struct {
	Rows        []taskRow
	Total       int // every task of the caller, counted by the visibility store
	Page, Pages int
	NextHref    string // "" on the last page
	FirstHref   string // "" on the first page
}

// errBadTaskPage is a page link the workbench did not make.
var errBadTaskPage = errors.New("not a task-list page")

// listTasks reads the page of the caller's tasks that the query asks for
// (?page=N&after=TOKEN, as NextHref makes them). Pages come newest first
// from Temporal's visibility store; each is sorted by due date.
func (s *Server) listTasks(r *http.Request, u auth.User) (taskList, error) {
	q := r.URL.Query()
	page, token := 1, []byte(nil)
	if after := q.Get("after"); after != "" {
		n, err := strconv.Atoi(q.Get("page"))
		if token, _ = base64.RawURLEncoding.DecodeString(after); err != nil || n < 2 || len(token) == 0 {
			return taskList{}, errBadTaskPage
		}
		page = n
	}
	var f service.TaskFilter
	if u.Role == auth.RoleTranslator {
		// In the visibility query: own tasks and the locales' pools.
		f.Worker, f.WorkerLocales = u.Name, u.Locales
	}
	size := cmp.Or(s.TaskPage, TaskListPage)
	ts, next, err := s.Svc.TasksPage(r.Context(), f, size, token)
	if err != nil {
		return taskList{}, err
	}
	total, err := s.Svc.CountTasks(r.Context(), f)
	if err != nil {
		return taskList{}, err
	}
	list := taskList{Total: total, Page: page, Pages: max(page, (total+size-1)/size)}
	// The store gives a token after every full page, the last one too:
	// the count says whether anything follows.
	if len(next) > 0 && page*size < total {
		list.NextHref = "/workbench/tasks?" + url.Values{"page": {strconv.Itoa(page + 1)}, "after": {base64.RawURLEncoding.EncodeToString(next)}}.Encode()
		list.Pages = max(list.Pages, page+1)
	}
	if page > 1 {
		list.FirstHref = "/workbench/tasks"
	}
	if list.Rows, err = s.taskRows(r.Context(), u, ts); err != nil {
		return taskList{}, err
	}
	return list, nil
}

// taskRows looks up what a row shows, a few tasks at a time.
func (s *Server) taskRows(ctx context.Context, u auth.User, ts []service.Task) ([]taskRow, error) {
	rows := make([]*taskRow, len(ts))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(rowLookups)
	for i, t := range ts {
		if !u.IsEditor() && !service.MayWork(u, t.Locale, t.Assignee) {
			continue
		}
		g.Go(func() error {
			ls, err := s.Svc.LocaleStatus(ctx, t.Slug, t.Locale)
			if err != nil {
				return nil // finished between the list and the query
			}
			row := taskRow{Slug: t.Slug, Locale: t.Locale, Assignee: ls.Assignee, Pool: ls.Assignee == "" || ls.Assignee == workflows.PoolAssignee,
				Round: ls.Round, Segments: ls.Segments, Edited: ls.Edits, Errors: ls.Checks.Errors, Warnings: ls.Checks.Warnings,
				DueAt: ls.DueAt, Escalated: ls.Escalated, Comment: ls.LastComment}
			if in, err := s.Svc.Info(ctx, ls.Source); err == nil {
				row.Title = in.Title
			}
			rows[i] = &row
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []taskRow
	for _, r := range rows {
		if r != nil {
			out = append(out, *r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DueAt.IsZero() != b.DueAt.IsZero() {
			return !a.DueAt.IsZero()
		}
		return a.DueAt.Before(b.DueAt)
	})
	return out, nil
}
