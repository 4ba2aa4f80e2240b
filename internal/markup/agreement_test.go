package markup_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/markup"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/xliff"
)

// fragments are the pieces random segments are made of: words, and every
// kind of span the packages must agree on.
var fragments = []string{
	"the", "report", "Geneva", "élection", "会议", "تقرير", " ", " ", " ", ", ", ". ",
	"{{.Name}}", "{{ printf \"%d\" .N }}", "{count}", "%s", "%[1]d", "%-8.2f", "%%", "100%", "50 % ",
	"<b>", "</b>", "<a href=\"https://un.org/x\" title=\"Help\">", "</a>", "<br/>", "<!-- note -->",
	"<https://un.org>", "<info@un.org>", "https://example.org/a?b=1", "www.un.org", "info@example.org",
	"`code {{.X}}`", "**", "*", "_", "[", "](https://un.org/fr)", "![", "](img.png \"t\")",
	"1,500", "2026", "3.5", "&amp;", "\\*",
}

func randomSegment(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(12) {
		b.WriteString(fragments[r.IntN(len(fragments))])
	}
	return b.String()
}

// TestSidesAgree: what MT protects, XLIFF exports as inline codes and the
// quality checks compare, for random segments built of every kind of span.
//   - Every XLIFF inline code lies inside one MT-protected span, so MT
//     keeps it byte for byte: pseudo-localized text has the same codes.
//   - The quality checks find nothing lost in the pseudo-localized text.
//   - Each placeholder and printf verb the scanner finds is an XLIFF code,
//     and a target without it fails the placeholder check.
func TestSidesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2026))
	cfg := qa.DefaultConfig()
	checked := map[markup.Kind]int{}
	for range 3000 {
		src := randomSegment(r)
		codes := xliff.InlineCodes(src)
		spans := mt.ProtectedSpans(src, report.FormatMarkdown)
		for _, c := range codes {
			if !slices.ContainsFunc(spans, func(sp string) bool { return strings.Contains(sp, c) }) {
				t.Errorf("%q: XLIFF code %q is inside no MT-protected span %q", src, c, spans)
			}
		}
		tgt := mt.Pseudolocalize(src, report.FormatMarkdown)
		if got := xliff.InlineCodes(tgt); !slices.Equal(got, codes) {
			t.Errorf("%q: pseudo-localized %q has XLIFF codes %q, source %q", src, tgt, got, codes)
		}
		for _, f := range qa.Check(cfg, "p", src, tgt, "en", "fr", true) {
			switch f.Check {
			case qa.CheckPlaceholders, qa.CheckMarkup, qa.CheckNumbers, qa.CheckURLs:
				t.Errorf("%q → %q: quality check %s: %s", src, tgt, f.Check, f.Message)
			}
		}

		// Top-level placeholders and verbs, as MT's scanner finds them.
		sc := markup.NewScanner(src, true)
		for i := 0; i < len(src); {
			end, kind := sc.Next(i)
			if end == i {
				i++
				continue
			}
			if kind == markup.Placeholder || kind == markup.Verb {
				span := src[i:end]
				if !slices.Contains(codes, span) {
					t.Errorf("%q: %s span %q is no XLIFF code (codes %q)", src, kindName(kind), span, codes)
				}
				without := src[:i] + "x" + src[end:]
				if !slices.ContainsFunc(qa.Check(cfg, "p", src, without, "en", "fr", true), func(f qa.Finding) bool {
					return f.Check == qa.CheckPlaceholders && strings.Contains(f.Message, span)
				}) {
					t.Errorf("%q without %q: the placeholder check does not notice", src, span)
				}
				checked[kind]++
			}
			i = end
		}
	}
	// The generator must actually have exercised both kinds.
	if checked[markup.Placeholder] < 100 || checked[markup.Verb] < 100 {
		t.Fatalf("too few spans checked: %v", checked)
	}
}

func kindName(k markup.Kind) string {
	if k == markup.Placeholder {
		return "placeholder"
	}
	return "verb"
}
