package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

func statusCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status SLUG",
		Short: "Show a report's stage and each locale's progress",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			st, err := svc.Status(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), st)
			}
			printStatus(cmd.OutOrStdout(), st)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	return cmd
}

func printStatus(w io.Writer, st workflows.ReportStatus) {
	fmt.Fprintf(w, "%s  stage: %s  (source %s", st.Slug, st.Stage, st.SourceLocale)
	if st.RequireApproval {
		fmt.Fprint(w, ", editor approval required")
	}
	if st.Policy == workflows.PolicyPerLocale {
		fmt.Fprint(w, ", per-locale publishing")
	}
	fmt.Fprintln(w, ")")
	if !st.PublishAt.IsZero() {
		fmt.Fprintf(w, "publishes at %s", st.PublishAt.Format(time.RFC3339))
		if st.ScheduledBy != "" {
			fmt.Fprintf(w, " (set by %s)", st.ScheduledBy)
		}
		fmt.Fprintln(w)
	}
	if st.Error != "" {
		fmt.Fprintf(w, "error: %s\n", st.Error)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOCALE\tSTAGE\tASSIGNEE\tROUND\tSEGMENTS\tEDITED\tCHECKS\tPROVENANCE")
	for _, l := range st.Locales {
		checks := "ok"
		if l.Checks.Errors+l.Checks.Warnings > 0 {
			checks = fmt.Sprintf("%d errors, %d warnings", l.Checks.Errors, l.Checks.Warnings)
		}
		if l.Segments == 0 {
			checks = "-"
		}
		stage := string(l.Stage)
		if l.CarriedFrom > 0 && l.Review == 0 {
			stage = fmt.Sprintf("%s (unchanged, carried from v%d)", l.Stage, l.CarriedFrom)
		} else if l.CarriedFrom > 0 {
			stage = fmt.Sprintf("%s (%d to review, rest carried from v%d)", l.Stage, l.Review, l.CarriedFrom)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", l.Locale, stage, orDash(l.Assignee), l.Round, l.Segments, l.Edits, checks, provenance(l.Provenance))
	}
	tw.Flush()
	for _, l := range st.Locales {
		if l.LastComment != "" {
			fmt.Fprintf(w, "%s: last rejected with %q\n", l.Locale, l.LastComment)
		}
	}
	for _, a := range st.Approvals {
		what := "locale " + a.Locale
		if a.Locale == "" {
			what = "report (editor)"
		}
		fmt.Fprintf(w, "approved %s by %s at %s\n", what, a.By, a.At.Format("2006-01-02 15:04:05Z07:00"))
	}
	if st.Release != nil {
		fmt.Fprintf(w, "release v%d: %s (%d objects)\n", st.Release.Version, st.Release.Manifest.Key, st.Release.Objects)
	}
}

func provenance(p map[string]int) string {
	if len(p) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, p[k]))
	}
	return strings.Join(parts, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func tasksCmd(g *globals) *cobra.Command {
	var f service.TaskFilter
	var asJSON bool
	var pageSize, limit int
	var page string
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "List locales waiting for review",
		Long: "List review tasks, read from Temporal's visibility store (search attributes PressroomStage, PressroomLocale, PressroomAssignee).\n" +
			fmt.Sprintf("Lists every task, sorted by workflow ID, reading pages of %d (progress on stderr); --limit stops after the newest N; --page-size lists one page.", service.MaxTaskPage),
		Example: `  pressroom tasks --assignee claire
  pressroom tasks --locale ar --json
  pressroom tasks --limit 20
  pressroom tasks --page-size 50 [--page TOKEN]`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// Flags first: a bad one connects to nothing.
			onePage := cmd.Flags().Changed("page-size") || page != ""
			var size int
			var token []byte
			switch {
			case limit < 0:
				return usagef("--limit %d: want 0 (every task) or more", limit)
			case onePage && limit > 0:
				return usagef("--limit with --page-size: --limit follows every page, --page-size lists one; choose one")
			case onePage:
				var err error
				if size, err = service.ParseTaskPageSize("--page-size", strconv.Itoa(pageSize)); err != nil {
					return usagef("%v", err)
				}
				if token, err = base64.RawURLEncoding.DecodeString(page); err != nil {
					return usagef("--page %q: not a token pressroom tasks printed", page)
				}
			}
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			var tasks []service.Task
			if onePage {
				// One page, and the command for the next on stderr.
				var next []byte
				tasks, next, err = svc.TasksPage(cmd.Context(), f, size, token)
				if errors.Is(err, service.ErrBadPageToken) {
					return usagef("--page: %v", err)
				} else if err != nil {
					return err
				}
				if len(next) > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "more: %s\n", nextPageCommand(f, asJSON, size, next))
				}
			} else if tasks, err = allTasks(cmd.Context(), svc, f, limit, cmd.ErrOrStderr()); err != nil {
				return err
			}
			if asJSON {
				if tasks == nil {
					tasks = []service.Task{}
				}
				return writeJSON(cmd.OutOrStdout(), tasks)
			}
			if len(tasks) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no tasks waiting for review")
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SLUG\tLOCALE\tASSIGNEE\tSTAGE")
			for _, t := range tasks {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Slug, t.Locale, orDash(t.Assignee), t.Stage)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&f.Assignee, "assignee", "", "only tasks assigned to this user")
	cmd.Flags().StringVar(&f.Locale, "locale", "", "only tasks of this locale")
	cmd.Flags().StringVar(&f.Slug, "slug", "", "only tasks of this report")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the tasks as JSON")
	cmd.Flags().IntVar(&pageSize, "page-size", service.DefaultTaskPage, fmt.Sprintf("list one page of at most this many tasks, newest first (1-%d); the command for the next page goes to stderr", service.MaxTaskPage))
	cmd.Flags().IntVar(&limit, "limit", 0, "list at most the newest N tasks (0: every task)")
	cmd.Flags().StringVar(&page, "page", "", "the page token --page-size printed")
	return cmd
}
