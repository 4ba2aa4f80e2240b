package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/examples"
	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/workflows"
)

// The demo's cast. In real use each is a person running `pressroom review`.
var demoReviewers = []workflows.Assignment{
	{Locale: "ar", User: "amal"}, {Locale: "zh-Hans", User: "wei"}, {Locale: "fr", User: "claire"},
	{Locale: "ru", User: "dmitri"}, {Locale: "es", User: "sofia"},
}

const demoEditor = "edith"

func demoCmd(g *globals) *cobra.Command {
	var d devFlags
	var exit bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start the dev stack and publish an example report in the six UN languages",
		Long: `Start the dev stack (as pressroom dev), submit examples/glacier-dialogue.md
to ar, zh-Hans, fr, ru and es, and carry it to a published release. A
scripted demo reviewer plays the translators and the editor: it saves an
edit in French, rejects the Spanish draft once, approves every locale and
gives the editor's approval. Then it prints where to look and keeps the
stack running until Ctrl-C (or stops at once with --exit).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			e, err := startDev(cmd.Context(), g, d, out)
			if err != nil {
				return err
			}
			defer func() {
				fmt.Fprintln(out, "stopping the dev stack ...")
				_ = e.stop()
			}()
			e.printAddresses(out, g.stateDir)
			svc := app.NewService(e.cfg, e.proc.Client, e.proc.Store)
			ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Minute)
			defer cancel()
			slug, rel, err := runDemo(ctx, svc, out)
			if err != nil {
				return err
			}
			if st, err := svc.Status(ctx, slug); err == nil {
				fmt.Fprintln(out)
				printStatus(out, st)
			}
			fmt.Fprintf(out, "\nPublished %s v%d (%d objects). Look at:\n", slug, rel.Version, rel.Objects)
			for _, l := range append([]string{"en"}, localesOf(demoReviewers)...) {
				fmt.Fprintf(out, "  %-8s %s/%s/%s/\n", l, e.cfg.SiteURL, l, slug)
			}
			fmt.Fprintf(out, `  manifest  pressroom get %s
  catalog   pressroom get releases/%s/v%d/catalogs/active.fr.toml
  history   %s/namespaces/default/workflows/report%%2F%s
`, rel.Manifest.Key, slug, rel.Version, e.cfg.TemporalUI, slug)
			if exit {
				return nil
			}
			e.tryOut(ctx, svc, out)
			fmt.Fprintln(out, "\nThe stack keeps running; try the commands above in another terminal. Ctrl-C stops it.")
			<-cmd.Context().Done()
			return nil
		},
	}
	d.register(cmd)
	cmd.Flags().BoolVar(&exit, "exit", false, "stop the stack as soon as the report is published")
	return cmd
}

func localesOf(as []workflows.Assignment) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Locale)
	}
	return out
}

// runDemo submits the example and plays every reviewer.
func runDemo(ctx context.Context, svc *service.Service, out io.Writer) (string, workflows.Release, error) {
	entries, err := tm.ReadTMX(examples.GlacierDialogueTMXName, bytes.NewReader(examples.GlacierDialogueTMX))
	if err != nil {
		return "", workflows.Release{}, err
	}
	if _, err := tmstore.Import(ctx, svc.Store, entries); err != nil {
		return "", workflows.Release{}, err
	}
	fmt.Fprintf(out, "\nimported %d translation units from %s into the translation memory\n", len(entries), examples.GlacierDialogueTMXName)
	res, err := svc.Submit(ctx, service.SubmitRequest{
		Name: examples.GlacierDialogueName, Data: examples.GlacierDialogue,
		Options: report.Options{}, Reviewers: demoReviewers, RequireApproval: true, SubmittedBy: demoEditor,
	})
	if err != nil {
		return "", workflows.Release{}, err
	}
	slug := res.Slug
	fmt.Fprintf(out, "submitted %s (%d segments) to %s\n", slug, res.Segments, strings.Join(res.Targets, ", "))
	fmt.Fprintln(out, "DEMO REVIEWER: a script now plays the translators and the editor; in real use people do this with `pressroom review` and `pressroom approve`.")

	pending := localesOf(demoReviewers)
	rejected := false
	for len(pending) > 0 {
		// A rerun on kept data is a revision: a locale with nothing
		// changed has no task.
		if st, err := svc.Status(ctx, slug); err == nil {
			for _, ls := range st.Locales {
				if slices.Contains(pending, ls.Locale) && ls.Stage == workflows.StageApproved && ls.CarriedFrom > 0 && ls.Review == 0 {
					fmt.Fprintf(out, "  %-7s unchanged since v%d: nothing to review\n", ls.Locale, ls.CarriedFrom)
					pending = slices.DeleteFunc(pending, func(l string) bool { return l == ls.Locale })
				}
			}
		}
		tasks, err := svc.Tasks(ctx, service.TaskFilter{Slug: slug})
		if err != nil {
			return slug, workflows.Release{}, err
		}
		for _, t := range tasks {
			if !slices.Contains(pending, t.Locale) {
				continue
			}
			// The task list is eventually consistent; the workflow's own
			// status is not. Act only on a task really in review.
			ls, err := svc.LocaleStatus(ctx, slug, t.Locale)
			if err != nil {
				return slug, workflows.Release{}, err
			}
			if ls.Stage != workflows.StageInReview || (t.Locale == "es" && rejected && ls.Round < 2) {
				continue
			}
			done, err := demoReview(ctx, svc, out, slug, t, &rejected)
			if err != nil {
				return slug, workflows.Release{}, err
			}
			if done {
				pending = slices.DeleteFunc(pending, func(l string) bool { return l == t.Locale })
			}
		}
		if err := sleep(ctx, 300*time.Millisecond); err != nil {
			return slug, workflows.Release{}, fmt.Errorf("waiting for review tasks (still pending: %v): %w", pending, err)
		}
	}
	for {
		st, err := svc.Status(ctx, slug)
		if err != nil {
			return slug, workflows.Release{}, err
		}
		if st.Stage == workflows.StageAwaitingApproval {
			break
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return slug, workflows.Release{}, err
		}
	}
	if _, err := svc.Approve(ctx, slug, demoEditor); err != nil {
		return slug, workflows.Release{}, err
	}
	fmt.Fprintf(out, "  editor %s approved the report for publishing\n", demoEditor)
	rel, err := svc.Wait(ctx, slug)
	return slug, rel, err
}

// demoReview plays one reviewer; done says the locale is approved.
func demoReview(ctx context.Context, svc *service.Service, out io.Writer, slug string, t service.Task, rejected *bool) (done bool, err error) {
	r := service.ReviewRequest{Slug: slug, Locale: t.Locale, Reviewer: t.Assignee, Action: workflows.ActionApprove}
	switch {
	case t.Locale == "es" && !*rejected:
		r.Action, r.Comment = workflows.ActionReject, "Please translate again: the glossary term for glacier changed."
		*rejected = true
	case t.Locale == "fr":
		edit := service.ReviewRequest{Slug: slug, Locale: t.Locale, Reviewer: t.Assignee, Action: workflows.ActionEdit,
			Edits: map[string]string{"title": "Des jeunes délégués ouvrent un dialogue régional sur la préservation des glaciers"}}
		if _, err := svc.Review(ctx, edit); err != nil {
			return false, fmt.Errorf("demo edit of fr: %w", err)
		}
		fmt.Fprintf(out, "  %-7s %-6s saved an edit of the title\n", t.Locale, t.Assignee)
	}
	if _, err := svc.Review(ctx, r); err != nil {
		return false, fmt.Errorf("demo %s of %s: %w", r.Action, t.Locale, err)
	}
	what := "approved"
	if r.Action == workflows.ActionReject {
		what = fmt.Sprintf("rejected with %q (it is translated again)", r.Comment)
	}
	fmt.Fprintf(out, "  %-7s %-6s %s\n", t.Locale, t.Assignee, what)
	return r.Action == workflows.ActionApprove, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// tryOutReport is left in review for the person running the demo.
const tryOutReport = `---
title: Reading room opens on Saturdays
slug: workbench-tryout
summary: From June the reading room also opens on Saturday mornings.
---

From 1 June the reading room opens on Saturdays from 9:00 to 13:00.

## Booking a desk

Book one of the 24 desks [online](https://example.org/desks) or at the front desk.
`

// tryOut submits a short report to French and Arabic and leaves it for a
// person to review in the workbench: the demo reviewer has done its part.
func (e *devEnv) tryOut(ctx context.Context, svc *service.Service, out io.Writer) {
	res, err := svc.Submit(ctx, service.SubmitRequest{Name: "workbench-tryout.md", Data: []byte(tryOutReport),
		Options: report.Options{Targets: []string{"fr", "ar"}}, RequireApproval: true, SubmittedBy: demoEditor,
		Reviewers: []workflows.Assignment{{Locale: "fr", User: "claire"}, {Locale: "ar", User: "amal"}}})
	var refused *service.RefusedError
	switch {
	case errors.As(err, &refused):
		fmt.Fprintf(out, "\nworkbench-tryout is still waiting for review from an earlier run.\n")
	case err != nil:
		fmt.Fprintf(out, "\ncould not submit the workbench try-out report: %v\n", err)
		return
	default:
		fmt.Fprintf(out, "\nsubmitted %s to %s for YOU to review (no script plays these reviewers).\n", res.Slug, strings.Join(res.Targets, ", "))
	}
	fmt.Fprintf(out, "Your turn, in the workbench: %s/workbench/\n", e.cfg.SiteURL)
	for _, t := range e.tokens {
		if t.name == "claire" || t.name == "amal" || t.name == demoEditor {
			fmt.Fprintf(out, "  sign in as %-7s password %s\n", t.name, t.password)
		}
	}
	fmt.Fprintln(out, "  claire and amal review and approve their task; edith approves the report, which then publishes.")
}
