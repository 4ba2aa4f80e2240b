package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

func submitCmd(g *globals) *cobra.Command {
	var (
		to, reviewers   []string
		slug, source    string
		date, as        string
		requireApproval bool
		asJSON, wait    bool
		publishAt       string
		policy          string
	)
	cmd := &cobra.Command{
		Use:   "submit FILE",
		Short: "Submit a report for translation, review and publishing",
		Long: `Submit a report: Markdown with front matter (title, slug, date, source,
targets, summary) or plain text (first line the title, blank lines between
paragraphs). The report is checked first; if anything is wrong nothing is
stored or started and every problem is listed with its line.

Limits: a report file is at most 2 MiB; a slug is lowercase a-z, 0-9 and
hyphens, at most 100 characters.`,
		Example: `  pressroom submit examples/water-report.md --to ar,zh-Hans,fr,ru,es
  pressroom submit notes.txt --slug side-event --to fr --reviewer fr=claire --require-approval
  pressroom submit statement.md --to ar,fr,zh-Hans --publish-at 2027-03-21T14:00:00+01:00
  pressroom submit flash.md --to fr,es --policy per-locale

Submitting a slug that is already published starts a revision: the live
release stays served until the revision publishes, and each locale reviews
only the segments whose source changed.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usagef("read report: %v", err)
			}
			if len(data) > report.MaxSize {
				return report.Errors{{File: args[0], Msg: fmt.Sprintf("file is %d bytes; the limit is %d", len(data), report.MaxSize)}}
			}
			var targets []string
			for _, t := range to {
				for _, p := range strings.Split(t, ",") {
					if p = strings.TrimSpace(p); p != "" {
						targets = append(targets, p)
					}
				}
			}
			assign, err := parseAssignments(reviewers)
			if err != nil {
				return err
			}
			var at time.Time
			if publishAt != "" {
				if at, err = service.ParsePublishAt(publishAt); err != nil {
					return usagef("--publish-at: %v", err)
				}
			}
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			opts := report.Options{Slug: slug, Source: source, Date: date}
			if len(targets) > 0 {
				opts.Targets = targets
			}
			res, err := svc.Submit(cmd.Context(), service.SubmitRequest{
				Name: args[0], Data: data, Options: opts, Reviewers: assign,
				RequireApproval: requireApproval, SubmittedBy: as, PublishAt: at, Policy: policy,
			})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !asJSON {
				fmt.Fprintf(out, "submitted %s: %d segments → %s\n", res.Slug, res.Segments, strings.Join(res.Targets, ", "))
				fmt.Fprintf(out, "  workflow %s (run %s)\n  source   %s\n", res.WorkflowID, res.RunID, res.Source.Key)
				if res.Revises > 0 {
					fmt.Fprintf(out, "  revision of v%d: v%d stays live until this publishes; each locale reviews only changed segments\n", res.Revises, res.Revises)
				}
				if !res.PublishAt.IsZero() {
					fmt.Fprintf(out, "  embargo  publishes at %s once approved (move it: pressroom schedule %s --at TIME | --clear)\n", res.PublishAt.Format(time.RFC3339), res.Slug)
				}
				if res.Policy == workflows.PolicyPerLocale {
					fmt.Fprintln(out, "  policy   per-locale: each locale publishes as soon as it is approved")
				}
				fmt.Fprintf(out, "follow it with: pressroom status %s\n", res.Slug)
			}
			if !wait {
				if asJSON {
					return writeJSON(out, res)
				}
				return nil
			}
			rel, err := svc.Wait(cmd.Context(), res.Slug)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(out, map[string]any{"submitted": res, "release": rel})
			}
			fmt.Fprintf(out, "published v%d: %s\n", rel.Version, rel.Manifest.Key)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&to, "to", nil, "target locales, comma-separated BCP 47 tags (overrides the front matter)")
	f.StringVar(&slug, "slug", "", "URL slug (default: from front matter, else from the title)")
	f.StringVar(&source, "source", "", "source locale when the file does not say (default en)")
	f.StringVar(&date, "date", "", "report date YYYY-MM-DD when the file does not say")
	f.StringArrayVar(&reviewers, "reviewer", nil, "assign a translator: LOCALE=USER (repeatable)")
	f.BoolVar(&requireApproval, "require-approval", false, "wait for an editor's `pressroom approve` before publishing")
	f.StringVar(&as, "as", os.Getenv("USER"), "who is submitting")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	f.BoolVar(&wait, "wait", false, "wait until the report is published")
	f.StringVar(&publishAt, "publish-at", "", "embargo: publish at this RFC 3339 time once approved (at most 366 days ahead)")
	f.StringVar(&policy, "policy", workflows.PolicyAllAtOnce, "all-at-once: one release when every locale is approved; per-locale: each locale publishes when approved")
	return cmd
}

func parseAssignments(specs []string) ([]workflows.Assignment, error) {
	var out []workflows.Assignment
	for _, s := range specs {
		locale, user, ok := strings.Cut(s, "=")
		if !ok || locale == "" || user == "" {
			return nil, usagef("--reviewer %q: want LOCALE=USER, e.g. fr=claire", s)
		}
		canon, err := report.CanonicalLocale(locale)
		if err != nil {
			return nil, usagef("--reviewer %q: %v", s, err)
		}
		if slices.ContainsFunc(out, func(a workflows.Assignment) bool { return a.Locale == canon }) {
			return nil, usagef("--reviewer: %s is assigned twice", canon)
		}
		out = append(out, workflows.Assignment{Locale: canon, User: user})
	}
	return out, nil
}
