package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
)

func scheduleCmd(g *globals) *cobra.Command {
	var at, as string
	var clear, asJSON bool
	cmd := &cobra.Command{
		Use:   "schedule SLUG --at TIME | --clear",
		Short: "Move or clear a report's publish time (embargo) while it waits",
		Long: `Move a report's publish time, or clear it so it publishes as soon as it is
approved. TIME is RFC 3339 with its offset, in the future and at most 366
days ahead. Refused once the report has started publishing.`,
		Example: `  pressroom schedule water-report --at 2027-03-21T14:00:00+01:00
  pressroom schedule water-report --clear`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (at == "") == !clear {
				return usagef("give --at TIME or --clear (one of them)")
			}
			if as == "" {
				return usagef("--as EDITOR is required")
			}
			if at != "" {
				if _, err := time.Parse(time.RFC3339, at); err != nil {
					return usagef("--at %q: want RFC 3339, e.g. 2027-03-21T14:00:00+01:00", at)
				}
			}
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			res, err := svc.Schedule(cmd.Context(), args[0], as, at)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, res)
			}
			if res.PublishAt.IsZero() {
				fmt.Fprintf(out, "%s: publish time cleared by %s; it publishes as soon as it is approved (stage %s)\n", args[0], as, res.Stage)
				return nil
			}
			fmt.Fprintf(out, "%s: publishes at %s (set by %s; stage %s)\n", args[0], res.PublishAt.Format(time.RFC3339), as, res.Stage)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&at, "at", "", "the new publish time, RFC 3339")
	f.BoolVar(&clear, "clear", false, "clear the publish time")
	f.StringVar(&as, "as", os.Getenv("USER"), "the editor")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
