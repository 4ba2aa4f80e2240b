package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

func reviewCmd(g *globals) *cobra.Command {
	var (
		as, comment, editsFile  string
		draft                   string
		approve, reject, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "review SLUG LOCALE --as USER (--approve | --reject --comment TEXT | --edits FILE.json)",
		Short: "Approve, edit or reject a locale's translation",
		Long: `Complete a review task. Exactly one of:
  --approve                 accept the translation (no quality-check errors may remain)
  --reject --comment TEXT   send it back to translation with a note
  --edits FILE.json         save corrections and stay in review; the file is a
                            JSON object of segment ID to new text, e.g.
                            {"p-3f2a1b9c0d": "Texte corrigé."}
--draft SHA256 (the draft you reviewed: status.draft.sha256 of pressroom task --json) binds the action to it: an
approval of an older draft, or an edit of a segment someone saved since, is
refused (exit 3) instead of approving or overwriting what you did not see.
Segment IDs are in the draft: pressroom status SLUG --json shows its key,
pressroom get KEY prints it.`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if as == "" {
				return usagef("--as USER is required: say who is reviewing")
			}
			req := service.ReviewRequest{Slug: args[0], Reviewer: as, Comment: comment, BaseDraft: draft}
			switch {
			case approve && !reject && editsFile == "":
				req.Action = workflows.ActionApprove
			case reject && !approve && editsFile == "":
				if comment == "" {
					return usagef("--reject needs --comment saying what to fix")
				}
				req.Action = workflows.ActionReject
			case editsFile != "" && !approve && !reject:
				edits, err := readEdits(editsFile)
				if err != nil {
					return err
				}
				req.Action, req.Edits = workflows.ActionEdit, edits
			default:
				return usagef("give exactly one of --approve, --reject or --edits")
			}
			locale, err := localeArg(args[1])
			if err != nil {
				return err
			}
			req.Locale = locale
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			res, err := svc.Review(cmd.Context(), req)
			if err != nil {
				var refused *service.RefusedError
				if req.Action == workflows.ActionApprove && errors.As(err, &refused) && refused.Type == workflows.ErrChecksFailing {
					explainRefusal(cmd.Context(), cmd.ErrOrStderr(), svc, req.Slug, req.Locale)
				}
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s: %s (draft %s", args[0], locale, res.Stage, res.Draft.Key)
			if res.Checks.Errors+res.Checks.Warnings > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "; checks: %d errors in %v, %d warnings", res.Checks.Errors, res.Checks.Failing, res.Checks.Warnings)
			}
			fmt.Fprintln(cmd.OutOrStdout(), ")")
			if res.Checks.Errors+res.Checks.Warnings > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "see them with: pressroom task %s %s --issues\n", req.Slug, req.Locale)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&as, "as", "", "who is reviewing (must be the assignee)")
	f.BoolVar(&approve, "approve", false, "approve the translation")
	f.BoolVar(&reject, "reject", false, "reject it back to translation (needs --comment)")
	f.StringVar(&comment, "comment", "", "what to fix, with --reject")
	f.StringVar(&editsFile, "edits", "", "JSON file of segment ID → corrected text")
	f.StringVar(&draft, "draft", "", "sha256 of the draft you reviewed (pressroom task --json: status.draft.sha256); refused if it is no longer current")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

// readEdits reads an edits file (report.ParseEdits says what is wrong
// and where).
func readEdits(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("read edits: %v", err)
	}
	return report.ParseEdits(path, b)
}

func approveCmd(g *globals) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:   "approve SLUG --as EDITOR",
		Short: "Approve a report for publishing (when submitted with --require-approval)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if as == "" {
				return usagef("--as EDITOR is required")
			}
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			stage, err := svc.Approve(cmd.Context(), args[0], as)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s by %s; publishing follows\n", args[0], stage, as)
			return nil
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the approving editor")
	return cmd
}

func getCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "get KEY",
		Short:   "Write a stored object to stdout",
		Example: "  pressroom get releases/my-report/latest.json\n  pressroom get site/fr/my-report/index.html > page.html",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			b, err := svc.Store.Get(cmd.Context(), args[0])
			if err != nil {
				return notFound(err)
			}
			_, err = cmd.OutOrStdout().Write(b)
			return err
		},
	}
}
