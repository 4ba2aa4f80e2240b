package main

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
)

func tmCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tm",
		Short: "Translation memory: import and export TMX 1.4",
		Long: `Pressroom's translation memory holds every approved segment of every
published release (stored under tm/<source>/<target>/ in the bucket). New
drafts fill exact matches from it, offer fuzzy matches of 75% or more to the
reviewer, and machine-translate the rest. TMX 1.4 brings memories in from
other tools and takes them out.`,
	}
	cmd.AddCommand(tmImportCmd(g), tmExportCmd(g))
	return cmd
}

func tmImportCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "import FILE.tmx",
		Short:   "Import a TMX 1.4 file into the translation memory",
		Example: "  pressroom tm import examples/glacier-dialogue.tmx",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return usagef("open TMX: %v", err)
			}
			defer f.Close()
			entries, err := tm.ReadTMX(args[0], f)
			if err != nil {
				return &report.Error{File: args[0], Msg: err.Error()}
			}
			cfg, err := g.load()
			if err != nil {
				return err
			}
			st, err := store.New(cmd.Context(), cfg.Store())
			if err != nil {
				return err
			}
			written, err := tmstore.Import(cmd.Context(), st, entries)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), map[string]any{"entries": len(entries), "shards": written})
			}
			for _, k := range slices.Sorted(maps.Keys(written)) {
				fmt.Fprintf(cmd.OutOrStdout(), "%6d entries → %s\n", written[k], k)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported %d translation units from %s\n", len(entries), args[0])
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what was imported as JSON")
	return cmd
}

func tmExportCmd(g *globals) *cobra.Command {
	var pair string
	cmd := &cobra.Command{
		Use:     "export --pair SOURCE-TARGET",
		Short:   "Write one language pair of the translation memory as TMX 1.4 to stdout",
		Example: "  pressroom tm export --pair en-fr > en-fr.tmx\n  pressroom tm export --pair en:zh-Hans",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			src, tgt, err := parsePair(pair)
			if err != nil {
				return err
			}
			cfg, err := g.load()
			if err != nil {
				return err
			}
			st, err := store.New(cmd.Context(), cfg.Store())
			if err != nil {
				return err
			}
			mems := &tmstore.Memories{Store: st}
			mem, err := mems.Load(cmd.Context(), src, tgt)
			if err != nil {
				return err
			}
			entries := mem.Entries(src, tgt)
			if err := tm.WriteTMX(cmd.OutOrStdout(), src, tgt, entries, "1"); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "exported %d translation units %s → %s\n", len(entries), src, tgt)
			return nil
		},
	}
	cmd.Flags().StringVar(&pair, "pair", "", "language pair SOURCE-TARGET, e.g. en-fr or en:zh-Hans")
	return cmd
}

// parsePair reads "en-fr", "en:zh-Hans" or "en,zh-Hans". A hyphen is
// ambiguous with tags like zh-Hans, so the first split that gives two
// valid tags wins.
func parsePair(s string) (string, string, error) {
	if s == "" {
		return "", "", usagef("--pair SOURCE-TARGET is required, e.g. --pair en-fr")
	}
	for _, sep := range []string{":", ","} {
		if a, b, ok := strings.Cut(s, sep); ok {
			return canonicalPair(s, a, b)
		}
	}
	parts := strings.Split(s, "-")
	for i := 1; i < len(parts); i++ {
		a, b := strings.Join(parts[:i], "-"), strings.Join(parts[i:], "-")
		if src, tgt, err := canonicalPair(s, a, b); err == nil {
			return src, tgt, nil
		}
	}
	return "", "", usagef("--pair %q: want SOURCE-TARGET with two BCP 47 tags, e.g. en-fr or en:zh-Hans", s)
}

func canonicalPair(s, a, b string) (string, string, error) {
	src, err := report.CanonicalLocale(a)
	if err != nil {
		return "", "", usagef("--pair %q: %v", s, err)
	}
	tgt, err := report.CanonicalLocale(b)
	if err != nil {
		return "", "", usagef("--pair %q: %v", s, err)
	}
	return src, tgt, nil
}
