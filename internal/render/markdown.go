package render

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pressroom/pressroom/internal/report"
)

// FrontMatter is the YAML header of report.md.
type FrontMatter struct {
	Title   string `yaml:"title"`
	Slug    string `yaml:"slug"`
	Date    string `yaml:"date,omitempty"`
	Locale  string `yaml:"locale"`
	Source  string `yaml:"source"`
	Summary string `yaml:"summary,omitempty"`
}

// Markdown renders report.md: YAML front matter, then the body (headings,
// paragraphs, lists; title and summary live in the front matter).
// FormatMarkdown text is written as is; FormatText is escaped so that it
// reads back as the same literal text. date is the report's own date, or
// the publication date when it has none.
func Markdown(p Page) ([]byte, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	r := p.Report
	fm := FrontMatter{Slug: r.Slug, Date: r.Date, Locale: p.Locale, Source: r.Source}
	if fm.Date == "" && !p.PublishedAt.IsZero() {
		fm.Date = p.PublishedAt.Format(time.DateOnly)
	}
	safe := func(s string) string {
		if r.Format == report.FormatMarkdown {
			return SafeInlineMarkdown(s)
		}
		return s
	}
	if s, ok := first(r.Segments, report.KindTitle); ok {
		fm.Title = safe(s.Text)
	}
	if s, ok := first(r.Segments, report.KindSummary); ok {
		fm.Summary = safe(s.Text)
	}
	head, err := yaml.Marshal(fm)
	if err != nil {
		return nil, fmt.Errorf("render: front matter: %w", err)
	}

	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(head)
	b.WriteString("---\n")

	text := func(s string) string {
		if r.Format == report.FormatMarkdown {
			return strings.TrimSpace(strings.ReplaceAll(SafeInlineMarkdown(s), "\r\n", "\n"))
		}
		return escapeMarkdown(s)
	}
	// CommonMark merges two lists of one type separated only by a blank
	// line; switching the marker keeps them apart.
	bullets, delims := []string{"-", "*"}, []string{".", ")"}
	var prev *report.Segment // previous body segment
	style, item := 0, 0
	for i := range r.Segments {
		s := &r.Segments[i]
		switch s.Kind {
		case report.KindHeading:
			b.WriteString("\n" + strings.Repeat("#", min(max(s.Level, 1), 6)) + " ")
			b.WriteString(strings.Join(strings.Fields(text(s.Text)), " "))
			b.WriteString("\n")
		case report.KindParagraph:
			b.WriteString("\n" + text(s.Text) + "\n")
		case report.KindListItem:
			prevItem := prev != nil && prev.Kind == report.KindListItem
			if !prevItem || prev.List != s.List || prev.Ordered != s.Ordered {
				if prevItem && prev.Ordered == s.Ordered {
					style = 1 - style
				} else {
					style = 0
				}
				item = 0
				b.WriteString("\n")
			}
			item++
			marker := bullets[style] + " "
			if s.Ordered {
				marker = strconv.Itoa(item) + delims[style] + " "
			}
			indent := strings.Repeat(" ", len(marker))
			b.WriteString(marker + strings.ReplaceAll(text(s.Text), "\n", "\n"+indent) + "\n")
		default:
			continue // title and summary are in the front matter
		}
		prev = s
	}
	return b.Bytes(), nil
}

// escapeMarkdown makes literal text read back as itself in CommonMark:
// inline punctuation that could start markup is backslash-escaped, as are
// line starts that would open a block (list, heading, quote, setext
// underline). Leading and trailing blanks and blank lines are dropped: they
// have no effect in HTML but would make code blocks, hard breaks or new
// paragraphs in Markdown.
func escapeMarkdown(s string) string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.Trim(line, " \t")
		if line == "" {
			continue
		}
		var b strings.Builder
		for i, r := range line {
			if i == 0 && strings.ContainsRune("-+=", r) {
				b.WriteByte('\\')
			}
			if strings.ContainsRune("\\`*_[]<>&~|#", r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		line = b.String()
		// "1. x" / "1) x" would start an ordered list.
		if n := len(line) - len(strings.TrimLeft(line, "0123456789")); n > 0 && n <= 9 && n < len(line) && (line[n] == '.' || line[n] == ')') {
			line = line[:n] + "\\" + line[n:]
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
