package report

import (
	"regexp"
	"strings"
)

// chromeRE matches lines of website chrome that come along when a report
// is copied from a web page: the font size switcher and the list link.
var chromeRE = regexp.MustCompile(`(?i)^(size\s*:\s*a\s*a\s*a|back\s+to\s+list)$`)

// ParseText reads a plain-text report (optionally with YAML front matter):
// the first non-empty line is the title, blank lines separate paragraphs,
// and the lines of a paragraph are joined with single spaces. Site chrome
// lines ("size: A A A", "Back to list") are dropped wherever they stand
// and end a paragraph.
func ParseText(name string, data []byte, opts Options) (*Report, error) {
	in, ok := prepare(name, data)
	if !ok {
		return nil, in.errs.sorted()
	}
	var (
		title titleInfo
		body  []Segment
		lines []int // file line of each body segment
		para  []string
		start int
	)
	flush := func() {
		if t := strings.Join(para, " "); !blank(t) {
			body = append(body, Segment{Kind: KindParagraph, Text: t})
			lines = append(lines, start)
		}
		para = nil
	}
	for i, raw := range strings.Split(string(in.body), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || chromeRE.MatchString(line):
			flush()
		case !title.found && !in.fm.title.given():
			title = titleInfo{text: line, plain: line, line: in.bodyLine + i, found: true}
		default:
			if para == nil {
				start = in.bodyLine + i
			}
			para = append(para, line)
		}
	}
	flush()
	return in.finish(FormatText, title, body, lines, opts)
}
