package mt

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/pressroom/pressroom/internal/report"
)

// Each case lists every span that must survive byte for byte, in order.
// Anything outside those spans must lose all its ASCII letters.
var protectCases = []struct {
	in        string
	format    report.Format
	protected []string
}{
	{"Hello {{.Name}}, you have {{ .Count }} new items", report.FormatMarkdown, []string{"{{.Name}}", "{{ .Count }}"}},
	{`Call {{ call .Fn "arg" }} then {{template "x"}}`, report.FormatText, []string{`{{ call .Fn "arg" }}`, `{{template "x"}}`}},
	{"%s sent %d files to %[1]s (%-5.2f%% done, %v, %q)", report.FormatText, []string{"%s", "%d", "%[1]s", "%-5.2f", "%%", "%v", "%q"}},
	{"See [the annex](https://example.org/annex?lang=en#part-2) for details", report.FormatMarkdown, []string{"](https://example.org/annex?lang=en#part-2)"}},
	{`An image ![chart of votes](img/votes_2024.png "Votes") here`, report.FormatMarkdown, []string{`](img/votes_2024.png "Votes")`}},
	{"Wiki [page](https://en.wikipedia.org/wiki/Geneva_(city)) ok", report.FormatMarkdown, []string{"](https://en.wikipedia.org/wiki/Geneva_(city))"}},
	{"Reference [text][annex-b] style", report.FormatMarkdown, []string{"][annex-b]"}},
	{"Autolink <https://example.org/path?q=Word> and <press@example.org>", report.FormatMarkdown, []string{"<https://example.org/path?q=Word>", "<press@example.org>"}},
	{"Visit https://example.org/Reports/2024 or http://old.example.org today", report.FormatMarkdown, []string{"https://example.org/Reports/2024", "http://old.example.org"}},
	{"Also www.example.org/About works", report.FormatMarkdown, []string{"www.example.org/About"}},
	{"Write to Jane.Doe+press@un-example.org or mailto:desk@example.org", report.FormatText, []string{"Jane.Doe+press@un-example.org", "mailto:desk@example.org"}},
	{"Run `make test` and ``a ` tick`` please", report.FormatMarkdown, []string{"`make test`", "``a ` tick``"}},
	{"Unclosed `tick is literal", report.FormatMarkdown, []string{"`"}},
	{"Budget of 1,000.5 million in 2024, 3.14 and 12", report.FormatText, []string{"1,000.5", "2024", "3.14", "12"}},
	{`Some <b>bold</b> and <a href="https://example.org">link</a> and <br/>`, report.FormatMarkdown, []string{"<b>", "</b>", `<a href="https://example.org">`, "</a>", "<br/>"}},
	{"Fish &amp; chips &copy; &#169; &#xA9;", report.FormatMarkdown, []string{"&amp;", "&copy;", "&#169;", "&#xA9;"}},
	{"Plural {count} and {user_name}", report.FormatText, []string{"{count}", "{user_name}"}},
	{"**Strong** and *em* and _under_ and ***both***", report.FormatMarkdown, []string{"**", "**", "*", "*", "_", "_", "***", "***"}},
	{"Escaped \\`not code\\` and \\<notatag>", report.FormatMarkdown, []string{"\\`", "\\`", "\\<"}},
}

func TestPseudoProtectsTokens(t *testing.T) {
	for _, c := range protectCases {
		out := Pseudolocalize(c.in, c.format)
		rest := out
		for _, tok := range c.protected {
			i := strings.Index(rest, tok)
			if i < 0 {
				t.Errorf("%q -> %q: lost %q (or out of order)", c.in, out, tok)
				break
			}
			// Everything between protected spans must be pseudolocalized.
			if strings.IndexFunc(rest[:i], isASCIILetter) >= 0 {
				t.Errorf("%q -> %q: ASCII letters left in %q", c.in, out, rest[:i])
			}
			rest = rest[i+len(tok):]
		}
		if strings.IndexFunc(rest, isASCIILetter) >= 0 {
			t.Errorf("%q -> %q: ASCII letters left in %q", c.in, out, rest)
		}
	}
}

func isASCIILetter(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }

func TestPseudoShape(t *testing.T) {
	in := "The delegation welcomed the report on water and sanitation in rural areas."
	out := Pseudolocalize(in, report.FormatMarkdown)
	t.Log(out)
	if !strings.HasPrefix(out, pseudoOpen) || !strings.HasSuffix(out, pseudoClose) {
		t.Errorf("not bracketed: %q", out)
	}
	n, m := utf8.RuneCountInString(in), utf8.RuneCountInString(out)
	if ratio := float64(m) / float64(n); ratio < 1.3 || ratio > 1.45 {
		t.Errorf("length ratio %.2f, want about 1.3-1.4", ratio)
	}
	if out != Pseudolocalize(in, report.FormatMarkdown) {
		t.Error("not deterministic")
	}
	for _, w := range strings.Fields(in) {
		if strings.Contains(out, w) {
			t.Errorf("word %q unchanged", w)
		}
	}
	// Every letter maps to a single letter, so word shapes (and Markdown
	// flanking rules) are preserved.
	for r, p := range pseudoLetters {
		if !unicode.IsLetter(p) || p < utf8.RuneSelf {
			t.Errorf("%c maps to %U, want a non-ASCII letter", r, p)
		}
	}
	if got := Pseudolocalize("", report.FormatText); got != "" {
		t.Errorf("empty -> %q", got)
	}
	if got := Pseudolocalize("OK", report.FormatText); len(got) <= 2 {
		t.Errorf("short text not lengthened: %q", got)
	}
}

func FuzzPseudo(f *testing.F) {
	for _, c := range protectCases {
		f.Add(c.in)
	}
	f.Add("bad \xff\xfe bytes {{ \xc3")
	f.Add("عقد الاجتماع في جنيف")
	f.Add("会议于日内瓦举行")
	f.Add("``` `` ` ](( [x](<a b>) <http:// %[")
	f.Fuzz(func(t *testing.T, in string) {
		for _, format := range []report.Format{report.FormatMarkdown, report.FormatText} {
			out := Pseudolocalize(in, format)
			if !utf8.ValidString(out) {
				t.Fatalf("%q -> invalid UTF-8 %q", in, out)
			}
			if out != Pseudolocalize(in, format) {
				t.Fatalf("%q: not deterministic", in)
			}
			// Runs of invalid bytes collapse to one U+FFFD, so only valid
			// input is sure to grow.
			if utf8.ValidString(in) && strings.TrimSpace(in) != "" && len(out) <= len(in) {
				t.Fatalf("%q -> %q: not longer", in, out)
			}
		}
	})
}

// mdShape is the Markdown structure of text: every non-text node with the
// attributes that matter (emphasis level, link targets, code, raw HTML).
func mdShape(t *testing.T, md goldmark.Markdown, src string) string {
	t.Helper()
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var b strings.Builder
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text, *ast.String:
			return ast.WalkContinue, nil
		case *ast.Emphasis:
			fmt.Fprintf(&b, "Emphasis(%d) ", n.Level)
		case *ast.Link:
			fmt.Fprintf(&b, "Link(%s %s) ", n.Destination, n.Title)
		case *ast.Image:
			fmt.Fprintf(&b, "Image(%s %s) ", n.Destination, n.Title)
		case *ast.AutoLink:
			fmt.Fprintf(&b, "AutoLink(%s) ", n.URL(source))
		case *ast.CodeSpan:
			var code bytes.Buffer
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if tn, ok := c.(*ast.Text); ok {
					code.Write(tn.Segment.Value(source))
				}
			}
			fmt.Fprintf(&b, "Code(%s) ", code.String())
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			var raw bytes.Buffer
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				raw.Write(seg.Value(source))
			}
			fmt.Fprintf(&b, "HTML(%s) ", raw.String())
		default:
			fmt.Fprintf(&b, "%s ", n.Kind())
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPseudoKeepsMarkdownShape(t *testing.T) {
	inputs := []string{
		"The **final declaration** was adopted *without a vote* on 12 March.",
		"Read the [full statement](https://example.org/statement_2024.pdf \"PDF\") and ![the logo](logo.png).",
		"Contact <press@example.org> or <https://example.org/contact>, or write to desk@example.org.",
		"Links like https://example.org/a_b and www.example.org work with GFM.",
		"Use `--flag` and ``code with ` tick``; _underlined emphasis_ stays; snake_case_word too.",
		"Mixed ***strong em*** and **bold with *nested* em** and ~~struck~~ text.",
		"Inline <span class=\"note\">HTML</span> with &amp; entity and {{.Placeholder}} and %s.",
		"*Starts* with emphasis and ends with **strong**",
		"https://example.org/starts-with-url ends with http://example.org/end",
		"A hard  \nline break and a soft\nline break with [ref link][r] unresolved.",
		"Parenthesised ([link](https://example.org/x_(y))) and a \\*literal star\\*.",
		// Found by fuzzing.
		"Footnote][1](Annex) and \\\\`Code` and <Tag a=\">A\"> and <A0:\"> and <0@A>",
		"Word](http://example.org/#)Tail and www.` A` and 1% A@example.org and 0!@0.Ab",
	}
	parsers := map[string]goldmark.Markdown{
		"commonmark": goldmark.New(),
		"gfm":        goldmark.New(goldmark.WithExtensions(extension.GFM)),
	}
	for name, md := range parsers {
		for _, in := range inputs {
			out := Pseudolocalize(in, report.FormatMarkdown)
			if a, b := mdShape(t, md, in), mdShape(t, md, out); a != b {
				t.Errorf("%s: shape changed\n in: %q\n     %s\nout: %q\n     %s", name, in, a, out, b)
			}
		}
	}
}

func TestPseudoProvider(t *testing.T) {
	var p Provider = Pseudo{}
	if p.Name() != "pseudo" {
		t.Errorf("Name = %q", p.Name())
	}
	req := Request{Source: "en", Target: "fr", Format: report.FormatMarkdown, Segments: []Segment{
		{ID: "s1", Text: "Opening remarks"},
		{ID: "s2", Text: "Closing {{.Time}}"},
	}}
	res, err := p.Translate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("%d results", len(res))
	}
	for i, r := range res {
		if r.ID != req.Segments[i].ID || r.Provenance != "mt:pseudo" || r.Err != nil || r.Text != Pseudolocalize(req.Segments[i].Text, req.Format) {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Translate(ctx, req); err == nil {
		t.Error("canceled context accepted")
	}
}

// Pathological inputs must not take quadratic time (a naive scanner took
// minutes on 50 kB of one long word).
func TestPseudoLongInputs(t *testing.T) {
	start := time.Now()
	for _, unit := range []string{"Y", "{{", "`` ` ```", "](", "]((", "][x](", "a.b+c", "%", "<a", "<a \"", "][", "{a", "x@", "1.", "http://", "www.", `\\`} {
		in := strings.Repeat(unit, 50000/len(unit))
		if out := Pseudolocalize(in, report.FormatMarkdown); !utf8.ValidString(out) {
			t.Fatalf("%q...: invalid output", unit)
		}
	}
	if d := time.Since(start); d > time.Minute { // generous: CI may be loaded; quadratic took minutes
		t.Errorf("long inputs took %v", d)
	}
}
