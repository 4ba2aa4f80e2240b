package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/xliff"
	"github.com/pressroom/pressroom/workflows"
)

func xliffCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "xliff",
		Short: "Export a review task as XLIFF 2.0 for a CAT tool, and import the translated file",
		Long: `Export a task as XLIFF 2.0 (OmegaT, memoQ, Trados, Okapi) and import the
file the tool gives back. Placeholders and inline markup travel as <ph>
codes. Import saves the changed targets as one edit; a malformed file, a
file for another task, unknown segments or changed placeholders are refused
and change nothing.`,
	}
	var out string
	export := &cobra.Command{
		Use:     "export SLUG LOCALE [-o FILE]",
		Short:   "Write the task as XLIFF 2.0",
		Example: "  pressroom xliff export my-report fr -o my-report.fr.xlf",
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, d, closeFn, err := openTask(cmd.Context(), g, args[0], args[1])
			if err != nil {
				return err
			}
			defer closeFn()
			b, err := xliff.Export(service.XLIFFTask(d))
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(b)
				return err
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s: %d segments of %s %s (draft %.12s)\n", out, len(d.Segments), args[0], d.Status.Locale, d.Status.Draft.SHA256)
			return nil
		},
	}
	export.Flags().StringVarP(&out, "output", "o", "", "file to write (default stdout)")
	var as string
	imp := &cobra.Command{
		Use:     "import SLUG LOCALE FILE --as USER",
		Short:   "Save the targets a CAT tool changed as an edit of the task",
		Example: "  pressroom xliff import my-report fr my-report.fr.xlf --as claire",
		Args:    exactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if as == "" {
				return usagef("--as USER is required: say who is reviewing")
			}
			data, err := os.ReadFile(args[2])
			if err != nil {
				return usagef("read XLIFF: %v", err)
			}
			svc, d, closeFn, err := openTask(cmd.Context(), g, args[0], args[1])
			if err != nil {
				return err
			}
			defer closeFn()
			locale := d.Status.Locale
			units, err := xliff.Import(args[2], data, service.XLIFFTask(d))
			if err != nil {
				return &report.Error{File: args[2], Msg: err.Error() + "; nothing was changed"}
			}
			edits := service.XLIFFEdits(d, units)
			if len(edits) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no target changed; nothing to save")
				return nil
			}
			res, err := svc.Review(cmd.Context(), service.ReviewRequest{Slug: args[0], Locale: locale, Reviewer: as,
				Action: workflows.ActionEdit, Edits: edits, BaseDraft: d.Status.Draft.SHA256})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "saved %d changed segments of %s %s (stage %s; checks: %d errors, %d warnings)\n",
				len(edits), args[0], locale, res.Stage, res.Checks.Errors, res.Checks.Warnings)
			return nil
		},
	}
	imp.Flags().StringVar(&as, "as", "", "who is reviewing (must be the assignee)")
	cmd.AddCommand(export, imp)
	return cmd
}
