package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func unpublishCmd(g *globals) *cobra.Command {
	var locales []string
	var by, reason string
	cmd := &cobra.Command{
		Use:   "unpublish SLUG [--locale L]... --as NAME --reason TEXT",
		Short: "Withdraw a report's reader pages (410 Gone) and take it off the lists; releases stay archived; recorded",
		Long: "Withdraw a report's reader pages, every locale or the --locale ones: the reader site answers 410 Gone\n" +
			"where they were and the locale lists no longer show the report. Nothing under releases/ is rewritten.\n" +
			"Undo with `pressroom rollback SLUG --to <current version>` or by publishing again.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if by == "" || strings.TrimSpace(reason) == "" {
				return usagef("unpublish needs --as NAME and --reason TEXT")
			}
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			mv, err := svc.Unpublish(cmd.Context(), args[0], locales, by, reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s v%d unpublished in %s (pages answer 410 Gone); recorded: %s by %s\n", mv.Slug, mv.From, strings.Join(mv.Locales, ", "), mv.Reason, mv.By)
			fmt.Fprintf(cmd.OutOrStdout(), "undo: pressroom rollback %s --to %d --as NAME --reason TEXT\n", mv.Slug, mv.From)
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&locales, "locale", nil, "withdraw only this locale's page (repeatable; default every locale)")
	cmd.Flags().StringVar(&by, "as", "", "who unpublishes (recorded)")
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded)")
	return cmd
}
