package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/bench"
	"github.com/pressroom/pressroom/internal/service"
)

func benchCmd(g *globals) *cobra.Command {
	cfg := bench.Config{Reports: 20, Targets: 5, Paragraphs: 12, Concurrency: 4, Block: 20, Poll: 50 * time.Millisecond, Timeout: 5 * time.Minute}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "bench [--reports N] [--targets N] [--paragraphs N] [--concurrency N] [--json]",
		Short: "Measure throughput and latency on the stack, beside an empty workflow tree",
		Long: `Runs reports end to end on the stack the other commands reach (pressroom dev, or
TEMPORAL_ADDRESS and AWS_ENDPOINT_URL_S3 with a worker serving the task queue):
an editor submits through the HTTP API, scripted translators approve their
tasks from the task list, and the reader site is polled until every page is
served. The API and reader site run inside the bench on a loopback port with
users it makes for the run; nothing is written to the users file.

On the same Temporal server, in blocks of --block reports alternating with
Pressroom's (so both meet the same load), an empty workflow tree of the
same shape (parent, one child per target with two no-op activities and an
approve Update, one no-op publish activity) runs on its own task queue with
a worker inside the bench: the cost of orchestration alone.

Prints reports/s, p50/p95/p99 of submit → every task in review and of last
approval → every page served, history events and workflow tasks per report.
Everything made is tagged: slugs and users start with bench-<time>, the
empty tree's workflows with bench-<time>-empty/. Published bench reports
stay in the reader site's lists like any report.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Tag = "bench-" + time.Now().UTC().Format("20060102t150405")
			if err := cfg.Validate(); err != nil {
				return usagef("%v", err)
			}
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			r := &bench.Runner{Svc: svc, Progress: cmd.ErrOrStderr()}
			res, err := r.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			printBench(cmd.OutOrStdout(), res)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Reports, "reports", cfg.Reports, fmt.Sprintf("reports to run (at most %d)", bench.MaxReports))
	f.IntVar(&cfg.Targets, "targets", cfg.Targets, fmt.Sprintf("target locales per report (at most %d)", bench.MaxTargets))
	f.IntVar(&cfg.Paragraphs, "paragraphs", cfg.Paragraphs, "paragraphs per report")
	f.IntVar(&cfg.Concurrency, "concurrency", cfg.Concurrency, "reports in flight at once")
	f.IntVar(&cfg.Block, "block", cfg.Block, "reports of one side before the other runs as many: the two alternate so both meet the same load (0: all of the empty tree first)")
	f.DurationVar(&cfg.Poll, "poll", cfg.Poll, "how often the scripted reviewers look at the task list and the reader site")
	f.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "longest one report may take")
	f.BoolVar(&cfg.SkipEmpty, "skip-empty", false, "leave out the empty-tree baseline")
	f.BoolVar(&cfg.OnlyEmpty, "only-empty", false, "run only the empty tree (needs only the Temporal server)")
	f.BoolVar(&cfg.Park, "park", false, "leave every report waiting in review (nobody approves): to measure what parked reviews cost")
	f.IntVar(&cfg.TaskPage, "task-page-size", 0, fmt.Sprintf("with --tasks: the page_size the whole list is followed with (default %d, the most one request lists)", service.MaxTaskPage))
	f.IntVar(&cfg.Tasks, "tasks", 0, fmt.Sprintf("instead: park this many tasks in review for one translator and time its task list (at most %d; they are terminated after)", bench.MaxTasks))
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func printBench(w io.Writer, res bench.Result) {
	c := res.Config
	if tl := res.TaskList; tl != nil {
		fmt.Fprintf(w, "task list (tag %s): %d tasks in review for one translator, started in %.0fs\n\n", c.Tag, tl.Tasks, tl.StartSeconds)
		fmt.Fprintf(w, "%-50s %s\n", "GET /api/tasks p50/95/99", "")
		fmt.Fprintf(w, "%-50s %s (first page: %d tasks)\n", "  the translator with every task", ms(tl.Busy), tl.FirstPage)
		fmt.Fprintf(w, "%-50s %s\n", "  a translator of another locale (none)", ms(tl.Idle))
		fmt.Fprintf(w, "%-50s %s (%d tasks in %d pages)\n", fmt.Sprintf("  the whole list, following pages of %d", tl.PageSize), ms(tl.BusyAll), tl.Listed, tl.Pages)
		fmt.Fprintf(w, "%-50s %s\n", "workbench My tasks p50/95/99", "")
		fmt.Fprintf(w, "%-50s %s (first page: %d tasks)\n", "  the translator with every task", ms(tl.WorkbenchBusy), tl.WorkbenchRows)
		fmt.Fprintf(w, "%-50s %s\n", "  a translator of another locale (none)", ms(tl.WorkbenchIdle))
		return
	}
	if c.OnlyEmpty && res.EmptyTree != nil {
		// One column: the empty tree's figures in the first.
		res.Pressroom, res.EmptyTree, res.Ratio = *res.EmptyTree, nil, 0
		fmt.Fprintln(w, "(empty tree only)")
	}
	fmt.Fprintf(w, "%d reports × %d targets, %d paragraphs, concurrency %d (tag %s)\n\n", c.Reports, c.Targets, c.Paragraphs, c.Concurrency, c.Tag)
	row := func(name string, f func(bench.Figures) string) {
		fmt.Fprintf(w, "%-34s %-22s", name, f(res.Pressroom))
		if res.EmptyTree != nil {
			fmt.Fprintf(w, " %s", f(*res.EmptyTree))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%-34s %-22s", "", "pressroom")
	if res.EmptyTree != nil {
		fmt.Fprint(w, " empty tree")
	}
	fmt.Fprintln(w)
	row("reports/s", func(f bench.Figures) string { return fmt.Sprintf("%.2f", f.ReportsPerSec) })
	row("completed / failed", func(f bench.Figures) string { return fmt.Sprintf("%d / %d", f.Completed, f.Failed) })
	row("submit → all in review p50/95/99", func(f bench.Figures) string { return ms(f.ToReview) })
	row("approval → served p50/95/99", func(f bench.Figures) string { return ms(f.ToServed) })
	row("history events per report", func(f bench.Figures) string { return fmt.Sprintf("%.1f", f.Histories.EventsPerReport) })
	row("  of which report workflow", func(f bench.Figures) string { return fmt.Sprintf("%.1f", f.Histories.ReportEvents) })
	row("  per child workflow", func(f bench.Figures) string { return fmt.Sprintf("%.1f", f.Histories.ChildEvents) })
	row("workflow tasks per report", func(f bench.Figures) string { return fmt.Sprintf("%.1f", f.Histories.TasksPerReport) })
	if res.Ratio > 0 {
		fmt.Fprintf(w, "\nthroughput: %.2f× the empty tree\n", res.Ratio)
	}
	for _, f := range []bench.Figures{res.Pressroom} {
		for _, e := range f.Errors {
			fmt.Fprintln(w, "error:", e)
		}
	}
}

func ms(p bench.Percentiles) string {
	return fmt.Sprintf("%.0f/%.0f/%.0f ms", p.P50, p.P95, p.P99)
}
