package report

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxSize is the largest report file accepted, in bytes (2 MiB). Larger
// input is refused before it is parsed: reports are articles, and anything
// bigger is almost certainly a wrong file that would bloat storage and
// translation costs.
const MaxSize = 2 << 20

// Options override or complete what the file says (from CLI flags).
type Options struct {
	Slug    string   // overrides front matter / derived slug
	Source  string   // source locale; overrides the file; "en" when neither says
	Targets []string // overrides front matter targets when non-nil
	Date    string   // YYYY-MM-DD; used when the file has none
}

// Parse reads a report file: Markdown when the name ends in .md or
// .markdown or the data opens with "---" front matter, else plain text.
// On any problem it returns nil and Errors listing all of them.
func Parse(name string, data []byte, opts Options) (*Report, error) {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	d := bytes.TrimPrefix(data, bom)
	if ext == ".md" || ext == ".markdown" || bytes.HasPrefix(d, []byte("---\n")) || bytes.HasPrefix(d, []byte("---\r\n")) {
		return ParseMarkdown(name, data, opts)
	}
	return ParseText(name, data, opts)
}

var bom = []byte("\xEF\xBB\xBF")

// maxUTF8Lines bounds how many bad lines are listed; a binary file would
// otherwise produce thousands.
const maxUTF8Lines = 10

// intake is the state shared by both formats while one file is parsed.
type intake struct {
	name     string
	errs     Errors
	fm       frontMatter
	fmBroken bool   // front matter unreadable: skip checks that depend on it
	body     []byte // after front matter, LF line endings
	bodyLine int    // file line number of the body's first line
}

func (in *intake) at(line int) where { return where{in.name, line} }

func (in *intake) add(e *Error) {
	if e != nil {
		in.errs = append(in.errs, e)
	}
}

// prepare checks size and encoding, normalizes line endings and splits off
// front matter. It returns false when the rest of the file cannot be read.
func prepare(name string, data []byte) (*intake, bool) {
	in := &intake{name: name, bodyLine: 1}
	if len(data) > MaxSize {
		in.add(in.at(0).errorf("", "", "file is %d bytes; the limit is %d bytes (2 MiB)", len(data), MaxSize))
		return in, false
	}
	data = bytes.TrimPrefix(data, bom)
	if !utf8.Valid(data) {
		bad := 0
		for i, line := range bytes.Split(data, []byte("\n")) {
			if utf8.Valid(line) {
				continue
			}
			if bad++; bad <= maxUTF8Lines {
				in.add(in.at(i+1).errorf("", "", "text is not valid UTF-8; save the file as UTF-8"))
			}
		}
		if bad > maxUTF8Lines {
			in.add(in.at(0).errorf("", "", "%d more lines are not valid UTF-8", bad-maxUTF8Lines))
		}
		return in, false
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	if !in.splitFrontMatter(data) {
		return in, false
	}
	return in, true
}

// titleInfo is the title found in the body, if any.
type titleInfo struct {
	text  string // as it will appear in the title segment
	plain string // without markup, for Slugify
	line  int
	found bool
}

// finish applies front matter and options, checks everything and builds
// the Report.
// bodyLines[i] is the file line of body[i].
func (in *intake) finish(format Format, title titleInfo, body []Segment, bodyLines []int, opts Options) (*Report, error) {
	fm := &in.fm
	if fm.title.given() {
		plain := strings.TrimSpace(fm.title.val)
		if format == FormatMarkdown {
			plain = markdownPlain(plain)
		}
		title = titleInfo{text: strings.TrimSpace(fm.title.val), plain: plain, line: fm.title.line, found: true}
	}
	titleOK := false
	switch {
	case in.fmBroken, fm.title.bad:
	case !title.found && format == FormatMarkdown:
		in.add(in.at(0).errorf("title", "", "report has no title: set \"title\" in the front matter or start with a level-1 heading"))
	case !title.found:
		in.add(in.at(0).errorf("title", "", "report has no title: the first non-empty line is the title"))
	default:
		e := checkLine("title", title.text, in.at(title.line))
		in.add(e)
		titleOK = e == nil
	}

	var summary string
	if fm.summary.given() {
		summary = strings.TrimSpace(fm.summary.val)
		in.add(checkLine("summary", summary, in.at(fm.summary.line)))
	}
	if len(body) == 0 && !in.fmBroken {
		in.add(in.at(0).errorf("", "", "report has no content besides the title"))
	}

	source := locatedLocale{value: "en", field: "source"}
	switch {
	case strings.TrimSpace(opts.Source) != "":
		source.value = strings.TrimSpace(opts.Source)
	case fm.source.set:
		source = locatedLocale{value: strings.TrimSpace(fm.source.val), at: in.at(fm.source.line), field: fm.source.key}
	}
	var targets []locatedLocale
	if opts.Targets != nil {
		for _, t := range opts.Targets {
			targets = append(targets, locatedLocale{value: strings.TrimSpace(t), field: "targets"})
		}
	} else {
		for _, t := range fm.targets {
			targets = append(targets, locatedLocale{value: strings.TrimSpace(t.val), at: in.at(t.line), field: "targets"})
		}
	}
	if len(targets) > MaxTargets {
		in.add(in.at(0).errorf("targets", "", "%d target locales; the limit is %d per report", len(targets), MaxTargets))
		targets = targets[:MaxTargets]
	}
	src, tgts, lerrs := checkLocales(source, targets, false)
	in.errs = append(in.errs, lerrs...)

	var slug string
	switch {
	case opts.Slug != "":
		slug = opts.Slug
		in.add(checkSlug(slug, where{}))
	case fm.slug.set:
		slug = fm.slug.val
		in.add(checkSlug(slug, in.at(fm.slug.line)))
	case titleOK:
		slug = Slugify(title.plain)
		if slug == "" {
			in.add(in.at(title.line).errorf("slug", "", "cannot derive a slug from title %q (no letters a-z or digits left); set \"slug\" in the front matter or give one as an option", title.text))
		}
	}

	var date string
	switch {
	case fm.date.given():
		date = strings.TrimSpace(fm.date.val)
		in.add(checkDate(date, in.at(fm.date.line)))
	case opts.Date != "":
		date = opts.Date
		in.add(checkDate(date, where{}))
	}

	head := []Segment{{Kind: KindTitle, Text: title.text}}
	headLines := []int{title.line}
	if summary != "" {
		head = append(head, Segment{Kind: KindSummary, Text: summary})
		headLines = append(headLines, fm.summary.line)
	}
	in.checkSegments(format, append(head, body...), append(headLines, bodyLines...))

	if len(in.errs) > 0 {
		return nil, in.errs.sorted()
	}
	segs := make([]Segment, 0, len(body)+2)
	segs = append(segs, Segment{Kind: KindTitle, Text: title.text})
	if summary != "" {
		segs = append(segs, Segment{Kind: KindSummary, Text: summary})
	}
	segs = append(segs, body...)
	assignIDs(segs)
	r := &Report{Slug: slug, Date: date, Source: src, Targets: tgts, Format: format, Segments: segs}
	if err := r.Validate(); err != nil {
		// Parse checks everything Validate does; reaching here is a bug,
		// but refusing is still better than passing on a bad report.
		if es, ok := err.(Errors); ok {
			for _, e := range es {
				e.File = in.name
			}
		}
		return nil, err
	}
	return r, nil
}
