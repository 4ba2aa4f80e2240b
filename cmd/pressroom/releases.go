package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

func releasesCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "releases SLUG",
		Short: "Every release of a report: version, time, locales, approvers; the one served; rollbacks",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			rs, moves, err := releases.List(cmd.Context(), svc.Store, args[0])
			if err != nil {
				return err
			}
			if len(rs) == 0 {
				return fmt.Errorf("%s has no releases: %w", args[0], service.ErrNotFound)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, map[string]any{"releases": rs, "history": moves})
			}
			for _, r := range rs {
				mark := " "
				if r.Current {
					mark = "*"
				}
				if !r.Complete {
					fmt.Fprintf(w, "%s v%-3d unfinished: %s\n", mark, r.Version, r.Problem)
					continue
				}
				var by []string
				for _, a := range r.Approvals {
					if a.Locale == "" {
						by = append(by, "editor "+a.By)
					} else {
						by = append(by, a.Locale+" "+a.By)
					}
				}
				fmt.Fprintf(w, "%s v%-3d %s  %s  approved by %s\n", mark, r.Version, r.PublishedAt.Format(time.RFC3339), strings.Join(r.Locales, ","), strings.Join(by, ", "))
			}
			for _, m := range moves {
				fmt.Fprintf(w, "  %s v%d → v%d by %s at %s: %s\n", m.Action, m.From, m.To, m.By, m.At.Format(time.RFC3339), m.Reason)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "machine-readable output")
	return cmd
}

func rollbackCmd(g *globals) *cobra.Command {
	var to int
	var by, reason string
	cmd := &cobra.Command{
		Use:   "rollback SLUG --to N --as NAME --reason TEXT",
		Short: "Serve release vN of a report again (pointer, site pages, lists); no release object is rewritten; recorded",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to < 1 || by == "" || strings.TrimSpace(reason) == "" {
				return usagef("rollback needs --to N (a version), --as NAME and --reason TEXT")
			}
			ctx := cmd.Context()
			svc, _, closeFn, err := connect(ctx, g)
			if err != nil {
				return err
			}
			defer closeFn()
			// A publish of the same report could move the pointer back under us.
			desc, err := svc.Temporal.DescribeWorkflow(ctx, workflows.ReportID(args[0]), "")
			var nf *serviceerror.NotFound
			switch {
			case errors.As(err, &nf):
			case err != nil:
				return err
			case desc.Status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
				return &service.RefusedError{Reason: args[0] + " is in progress; roll back when it has published or been cancelled"}
			}
			mv, err := releases.Rollback(ctx, svc.Store, args[0], to, by, reason, time.Now())
			if errors.Is(err, releases.ErrNotFound) {
				return fmt.Errorf("%w: %w", err, service.ErrNotFound)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s now serves v%d (was v%d); recorded: %s by %s\n", mv.Slug, mv.To, mv.From, mv.Reason, mv.By)
			return nil
		},
	}
	cmd.Flags().IntVar(&to, "to", 0, "the release version to serve")
	cmd.Flags().StringVar(&by, "as", "", "who rolls back (recorded)")
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded)")
	return cmd
}
