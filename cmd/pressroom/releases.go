package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/service"
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
			changes := releases.Changes(cmd.Context(), svc.Store, args[0], rs)
			if asJSON {
				return writeJSON(w, map[string]any{"releases": rs, "history": moves, "changes": changes})
			}
			byVersion := map[int]releases.Change{}
			for _, c := range changes {
				byVersion[c.Version] = c
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
				printChange(w, byVersion[r.Version])
			}
			for _, m := range moves {
				if m.Action == "unpublish" || m.Action == "republish" {
					fmt.Fprintf(w, "  %s v%d (%s) by %s at %s: %s\n", m.Action, m.From, strings.Join(m.Locales, ","), m.By, m.At.Format(time.RFC3339), m.Reason)
					continue
				}
				fmt.Fprintf(w, "  %s v%d → v%d by %s at %s: %s\n", m.Action, m.From, m.To, m.By, m.At.Format(time.RFC3339), m.Reason)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "machine-readable output")
	return cmd
}

// printChange writes what a release changed, one line per locale.
func printChange(w io.Writer, c releases.Change) {
	if c.Problem != "" {
		fmt.Fprintf(w, "        changes unknown: %s\n", c.Problem)
		return
	}
	if c.From == 0 {
		fmt.Fprintf(w, "        first release\n")
		return
	}
	for _, l := range c.Locales {
		var parts []string
		switch {
		case l.New:
			parts = append(parts, fmt.Sprintf("new locale (%d segments)", len(l.Added)))
		case l.Dropped:
			parts = append(parts, "locale dropped")
		case l.Unchanged():
			parts = append(parts, "unchanged")
		default:
			for _, p := range []struct {
				sign string
				ids  []string
			}{{"+", l.Added}, {"~", l.Changed}, {"-", l.Removed}} {
				if len(p.ids) > 0 {
					parts = append(parts, fmt.Sprintf("%s%d %s", p.sign, len(p.ids), abbreviate(p.ids, 6)))
				}
			}
		}
		fmt.Fprintf(w, "        %-6s vs v%d: %s\n", l.Locale, c.From, strings.Join(parts, "  "))
	}
}

// abbreviate lists at most n IDs.
func abbreviate(ids []string, n int) string {
	if len(ids) <= n {
		return "(" + strings.Join(ids, ", ") + ")"
	}
	return fmt.Sprintf("(%s, … %d more)", strings.Join(ids[:n], ", "), len(ids)-n)
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
			mv, err := svc.Rollback(ctx, args[0], to, by, reason)
			if err != nil {
				return err
			}
			if mv.Action == "republish" && len(mv.Locales) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s v%d's pages and list entries rewritten (it was already served); recorded: %s by %s\n", mv.Slug, mv.To, mv.Reason, mv.By)
			} else if mv.Action == "republish" {
				fmt.Fprintf(cmd.OutOrStdout(), "%s v%d published again in %s; recorded: %s by %s\n", mv.Slug, mv.To, strings.Join(mv.Locales, ", "), mv.Reason, mv.By)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s now serves v%d (was v%d); recorded: %s by %s\n", mv.Slug, mv.To, mv.From, mv.Reason, mv.By)
			return nil
		},
	}
	cmd.Flags().IntVar(&to, "to", 0, "the release version to serve (the current one puts an unpublished report back)")
	cmd.Flags().StringVar(&by, "as", "", "who rolls back (recorded)")
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded)")
	return cmd
}
