package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/service"
)

func taskCmd(g *globals) *cobra.Command {
	var asJSON, issuesOnly bool
	cmd := &cobra.Command{
		Use:   "task SLUG LOCALE",
		Short: "Show a review task: source and target side by side, provenance, suggestions, check findings",
		Args:  exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, d, closeFn, err := openTask(cmd.Context(), g, args[0], args[1])
			if err != nil {
				return err
			}
			defer closeFn()
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), d)
			}
			printTask(cmd.OutOrStdout(), d, issuesOnly)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the task as JSON")
	cmd.Flags().BoolVar(&issuesOnly, "issues", false, "show only segments with check findings")
	return cmd
}

func printTask(w io.Writer, d service.TaskDetail, issuesOnly bool) {
	st := d.Status
	fmt.Fprintf(w, "%s %s → %s  stage %s  assignee %s  round %d  checks: %d errors, %d warnings\n",
		d.Slug, d.SourceLocale, st.Locale, st.Stage, orDash(st.Assignee), st.Round, st.Checks.Errors, st.Checks.Warnings)
	if st.CarriedFrom > 0 {
		fmt.Fprintf(w, "revision: %d segment(s) to review; %d unchanged, approved in v%d (marked \"approved v%d\"; edit one to reopen it)\n",
			st.Review, st.Segments-st.Review, st.CarriedFrom, st.CarriedFrom)
	}
	for _, s := range d.Segments {
		if issuesOnly && len(s.Findings) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n[%s] %s  (%s)\n  source: %s\n  target: %s\n", s.ID, s.Kind, s.Provenance, s.Source, s.Target)
		for _, sg := range s.Suggestions {
			fmt.Fprintf(w, "  suggestion (%s): %s\n", sg.Provenance, sg.Text)
		}
		printFindings(w, s.Findings, "  ")
	}
}

func printFindings(w io.Writer, fs []qa.Finding, indent string) {
	for _, f := range fs {
		fmt.Fprintf(w, "%s%s %s: %s\n", indent, strings.ToUpper(string(f.Severity)), f.Check, f.Message)
	}
}

// explainRefusal prints the failing checks per segment when an approval is
// refused because of them.
func explainRefusal(ctx context.Context, w io.Writer, svc *service.Service, slug, locale string) {
	d, err := svc.TaskDetail(ctx, slug, locale)
	if err != nil {
		return
	}
	for _, s := range d.Segments {
		var errs []qa.Finding
		for _, f := range s.Findings {
			if f.Severity == qa.Error {
				errs = append(errs, f)
			}
		}
		if len(errs) > 0 {
			fmt.Fprintf(w, "segment %s:\n", s.ID)
			printFindings(w, errs, "  ")
		}
	}
}
