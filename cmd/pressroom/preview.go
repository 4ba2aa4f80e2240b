package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/preview"
)

func previewCmd(g *globals) *cobra.Command {
	var locale, by string
	var ttl time.Duration
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "preview SLUG [--locale L] [--ttl 24h] --as NAME",
		Short: "A signed, expiring link to a running report's current drafts on the reader site (noindex, revocable)",
		Long: "Make a preview link: the report's current drafts (every locale that has one, or --locale) rendered\n" +
			"on the reader site exactly as the published page would be, with a preview banner and noindex.\n" +
			"Links are signed with PRESSROOM_PREVIEW_SECRET (or a key generated in the bucket) and expire after --ttl.\n" +
			"Revoke with `pressroom preview revoke ID` (one link) or `pressroom preview revoke SLUG` (every link so far).",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if by == "" {
				return usagef("preview needs --as NAME (recorded in the link)")
			}
			if ttl < preview.MinTTL || ttl > preview.MaxTTL {
				return usagef("--ttl %s: a preview link lives from %s to %s", ttl, preview.MinTTL, preview.MaxTTL)
			}
			if locale != "" {
				l, err := localeArg(locale)
				if err != nil {
					return err
				}
				locale = l
			}
			svc, cfg, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			link, err := svc.Preview(cmd.Context(), args[0], locale, ttl, by)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			base := strings.TrimRight(cfg.SiteURL, "/")
			if asJSON {
				urls := map[string]string{}
				for l, p := range link.Paths {
					urls[l] = base + p
				}
				return writeJSON(w, map[string]any{"id": link.ID, "slug": link.Slug, "expires": link.Expires, "urls": urls, "skipped": link.Skipped})
			}
			fmt.Fprintf(w, "Preview %s of %s, expires %s (revoke: pressroom preview revoke %s)\n", link.ID, link.Slug, link.Expires.Format(time.RFC3339), link.ID)
			for _, l := range link.Locales {
				fmt.Fprintf(w, "  %-8s %s%s\n", l, base, link.Paths[l])
			}
			if len(link.Skipped) > 0 {
				fmt.Fprintf(w, "  not in the preview (no draft yet): %s\n", strings.Join(link.Skipped, ", "))
			}
			if base == "" {
				fmt.Fprintln(w, "  (paths on the reader site; set PRESSROOM_SITE_URL to print full URLs)")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&locale, "locale", "", "only this locale (default: every locale with a draft, and the source)")
	cmd.Flags().DurationVar(&ttl, "ttl", 24*time.Hour, "how long the link works")
	cmd.Flags().StringVar(&by, "as", "", "who makes the link (shown on the preview)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "machine-readable output")

	var revokeBy string
	revoke := &cobra.Command{
		Use:   "revoke TOKEN-ID|SLUG --as NAME",
		Short: "Stop every link made so far for a report (a slug with a release or a workflow), or one preview link (its ID)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if revokeBy == "" {
				return usagef("preview revoke needs --as NAME")
			}
			svc, _, closeFn, err := connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer closeFn()
			r, err := svc.RevokePreview(cmd.Context(), args[0], revokeBy)
			if err != nil {
				return err
			}
			if r.ID != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "revoked preview link ID %s (by %s)\n", r.ID, r.By)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "revoked every preview link of report %s made until %s (by %s)\n", r.Slug, r.At.Format(time.RFC3339), r.By)
			}
			return nil
		},
	}
	revoke.Flags().StringVar(&revokeBy, "as", "", "who revokes")
	cmd.AddCommand(revoke)
	return cmd
}
