package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Title returns the text of the title segment.
func (r *Report) Title() string {
	for _, s := range r.Segments {
		if s.Kind == KindTitle {
			return s.Text
		}
	}
	return ""
}

// Summary returns the text of the summary segment, "" if there is none.
func (r *Report) Summary() string {
	for _, s := range r.Segments {
		if s.Kind == KindSummary {
			return s.Text
		}
	}
	return ""
}

// SHA256 returns the hex SHA-256 of the report's canonical JSON
// (json.Marshal of *r); it names the draft in storage and detects change.
func (r *Report) SHA256() string {
	b, err := json.Marshal(r)
	if err != nil {
		// Report holds only strings, ints and bools: Marshal cannot fail.
		panic("report: marshal: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// SegmentIDs returns the segment IDs in document order.
func (r *Report) SegmentIDs() []string {
	ids := make([]string, len(r.Segments))
	for i, s := range r.Segments {
		ids[i] = s.ID
	}
	return ids
}

// Segment returns the segment with the given ID.
func (r *Report) Segment(id string) (Segment, bool) {
	for _, s := range r.Segments {
		if s.ID == id {
			return s, true
		}
	}
	return Segment{}, false
}

// Segment IDs: the title is "title" and the summary "summary". Every other
// segment is its kind prefix ("h", "p", "li"), "-", and the first 10 hex
// digits of the SHA-256 of its text, so an ID depends only on the segment's
// own text: inserting, removing or editing other segments leaves it
// unchanged, and translation memory and catalogs keep matching. When an ID
// repeats in document order (the same text again, or a hash collision) the
// 2nd occurrence gets "-2", the 3rd "-3"; only repeats of that same text
// can shift when one of them is removed.
var idPrefix = map[Kind]string{KindHeading: "h", KindParagraph: "p", KindListItem: "li"}

func assignIDs(segs []Segment) {
	seen := map[string]int{}
	for i := range segs {
		s := &segs[i]
		switch s.Kind {
		case KindTitle:
			s.ID = "title"
			continue
		case KindSummary:
			s.ID = "summary"
			continue
		}
		sum := sha256.Sum256([]byte(s.Text))
		id := idPrefix[s.Kind] + "-" + hex.EncodeToString(sum[:])[:10]
		seen[id]++
		if n := seen[id]; n > 1 {
			id = fmt.Sprintf("%s-%d", id, n)
		}
		s.ID = id
	}
}

// idRE keeps IDs usable as catalog message IDs, XLIFF ids and map keys.
var idRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

var dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func multiline(s string) bool { return strings.ContainsAny(s, "\r\n") }

func checkSlug(slug string, at where) *Error {
	if err := ValidSlug(slug); err != nil {
		return at.errorf("slug", "", "%v", err)
	}
	return nil
}

func checkDate(date string, at where) *Error {
	if !dateRE.MatchString(date) {
		return at.errorf("date", "", "%q is not a date in the form YYYY-MM-DD", date)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return at.errorf("date", "", "%q is not a real date", date)
	}
	return nil
}

// checkLine refuses title and summary text that is empty or spans lines:
// both are rendered in single-line places (headings, <title>, listings).
func checkLine(field, text string, at where) *Error {
	switch {
	case blank(text):
		return at.errorf(field, "", "%s is empty", field)
	case multiline(text):
		return at.errorf(field, "", "%s must be a single line", field)
	}
	return nil
}

// Validate checks the whole report and returns every problem as Errors.
// Parse runs it last; run it again on a Report loaded from JSON, whose
// values must already be canonical.
func (r *Report) Validate() error {
	var errs Errors
	add := func(e *Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	none := where{}
	add(checkSlug(r.Slug, none))
	if r.Date != "" {
		add(checkDate(r.Date, none))
	}
	targets := make([]locatedLocale, len(r.Targets))
	for i, t := range r.Targets {
		targets[i] = locatedLocale{value: t, field: "targets"}
	}
	_, _, lerrs := checkLocales(locatedLocale{value: r.Source, field: "source"}, targets, true)
	errs = append(errs, lerrs...)
	if r.Format != FormatMarkdown && r.Format != FormatText {
		add(none.errorf("format", "", "%q is not a known format; use %q or %q", r.Format, FormatMarkdown, FormatText))
	}

	if len(r.Targets) > MaxTargets {
		add(none.errorf("targets", "", "%d target locales; the limit is %d per report", len(r.Targets), MaxTargets))
	}
	if len(r.Segments) > MaxSegments {
		add(none.errorf("segments", "", "%d segments; the limit is %d", len(r.Segments), MaxSegments))
		return errs.orNil()
	}
	if len(r.Segments) == 0 || r.Segments[0].Kind != KindTitle {
		add(none.errorf("title", "", "the first segment must be the title"))
	}
	ids := map[string]int{}
	body := 0
	for i, s := range r.Segments {
		bad := func(format string, args ...any) {
			add(none.errorf("segments", "", "segment %d (%q): %s", i+1, s.ID, fmt.Sprintf(format, args...)))
		}
		switch {
		case s.ID == "":
			bad("has no ID")
		case !idRE.MatchString(s.ID):
			bad("ID may hold only ASCII letters, digits, '.', '_' and '-'")
		case ids[s.ID] > 0:
			bad("ID is also used by segment %d", ids[s.ID])
		default:
			ids[s.ID] = i + 1
		}
		if !utf8.ValidString(s.Text) {
			bad("text is not valid UTF-8")
		} else if msg := checkSegmentText(s.Text, MaxSegmentChars, r.Format == FormatMarkdown); msg != "" {
			bad("text %s", msg)
		}
		switch s.Kind {
		case KindTitle, KindSummary:
			want := map[Kind]string{KindTitle: "title", KindSummary: "summary"}[s.Kind]
			pos := map[Kind]int{KindTitle: 0, KindSummary: 1}[s.Kind]
			if s.ID != want || i != pos {
				bad("the %s must be segment %d with ID %q", s.Kind, pos+1, want)
			}
			if e := checkLine(string(s.Kind), s.Text, none); e != nil {
				add(e)
			}
		case KindHeading, KindParagraph, KindListItem:
			body++
			if blank(s.Text) {
				bad("text is empty")
			}
		default:
			bad("unknown kind %q", s.Kind)
		}
		if s.Kind == KindHeading {
			if s.Level < 1 || s.Level > 6 {
				bad("heading level %d is not between 1 and 6", s.Level)
			}
		} else if s.Level != 0 {
			bad("only headings have a level")
		}
		if s.Kind == KindListItem {
			if s.List < 1 {
				bad("list item has no list number")
			}
		} else if s.List != 0 || s.Ordered {
			bad("only list items belong to a list")
		}
	}
	if body == 0 {
		add(none.errorf("", "", "report has no content besides the title and summary"))
	}
	return errs.orNil()
}

// ValidSegmentID checks the form of a segment ID given from outside (a
// URL, an edits file): what assignIDs produces and Validate accepts.
func ValidSegmentID(id string) error {
	if len(id) > 64 || !idRE.MatchString(id) {
		return fmt.Errorf("segment ID %q is not valid: IDs such as title, summary or p-3f2a1b9c0d hold only ASCII letters, digits, '.', '_' and '-' (at most 64)", id)
	}
	return nil
}
