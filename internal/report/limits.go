package report

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on what one report may hold. Each keeps a step of the pipeline
// bounded: Markdown inline parsing is superlinear in a block's length and
// in its count of link openers, block parsing in its nesting depth, the
// workflow carries one ID per segment (Temporal refuses payloads over
// 2 MB) and starts one child workflow per target. Input over a limit is
// refused at intake, with the line or segment, before anything is stored.
const (
	// MaxSegmentChars bounds one source segment (a title, heading,
	// paragraph or list item), in characters.
	MaxSegmentChars = 10_000
	// MaxTranslationChars bounds one translated segment (an edit, an XLIFF
	// target): twice the source limit, room for the longest languages.
	MaxTranslationChars = 2 * MaxSegmentChars
	// MaxLinkOpeners bounds the '[' of one segment (links, images).
	MaxLinkOpeners = 100
	// MaxNesting bounds how deeply lists and block quotes nest.
	MaxNesting = 10
	// MaxIndent bounds a line's leading whitespace, in columns: nesting
	// by indentation is as costly as nesting by markers.
	MaxIndent = 4 * MaxNesting
	// MaxSegments bounds the segments of one report: at about 15 bytes per
	// segment ID, the workflow's list of IDs stays far under Temporal's
	// 2 MB payload limit.
	MaxSegments = 10_000
	// MaxTargets bounds the target locales of one report (one child
	// workflow each).
	MaxTargets = 50
)

// checkSegmentText refuses segment text over the length limit (in
// characters) or, when it is Markdown, with more link openers than the
// parser handles cheaply. It returns what is wrong, "" when nothing is.
func checkSegmentText(text string, limit int, markdown bool) string {
	if n := utf8.RuneCountInString(text); n > limit {
		return fmt.Sprintf("is %d characters long; the limit is %d characters per segment", n, limit)
	}
	if n := strings.Count(text, "["); markdown && n > MaxLinkOpeners {
		return fmt.Sprintf("has %d '[' (links or images); the limit is %d per segment", n, MaxLinkOpeners)
	}
	return ""
}

// CheckTranslation refuses a translated segment (a reviewer's edit, an
// XLIFF target) that is over MaxTranslationChars or MaxLinkOpeners. The
// error names the segment.
func CheckTranslation(id, text string) error {
	if msg := checkSegmentText(text, MaxTranslationChars, true); msg != "" {
		return &Error{Field: "segments", Msg: fmt.Sprintf("translation of segment %s %s", id, msg)}
	}
	return nil
}

// prescan runs before the Markdown parser sees the body, in one pass over
// its lines: it refuses lines nested deeper than MaxNesting (block quote
// and list markers at the start of a line) or indented more than
// MaxIndent columns, whose parsing cost grows with the square of the
// depth, and a body of more than MaxSegments paragraphs, which would be
// parsed into that many nodes only to be refused. It returns false when
// the body must not be parsed.
func (in *intake) prescan() bool {
	line := in.bodyLine
	bad, paragraphs := 0, 0
	prevBlank := true
	for rest := in.body; len(rest) > 0; line++ {
		var l []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			l, rest = rest, nil
		}
		isBlank := len(bytes.TrimSpace(l)) == 0
		if prevBlank && !isBlank {
			paragraphs++
		}
		prevBlank = isBlank
		depth, indent := nesting(l)
		var msg string
		switch {
		case depth > MaxNesting:
			msg = fmt.Sprintf("lists and block quotes nest %d deep; the limit is %d", depth, MaxNesting)
		case indent > MaxIndent:
			msg = fmt.Sprintf("line is indented %d columns; the limit is %d", indent, MaxIndent)
		default:
			continue
		}
		if bad++; bad <= maxUTF8Lines {
			in.add(in.at(line).errorf("", "", "%s", msg))
		}
	}
	if bad > maxUTF8Lines {
		in.add(in.at(0).errorf("", "", "%d more lines nest or indent too deeply", bad-maxUTF8Lines))
	}
	if paragraphs > MaxSegments {
		in.add(in.at(0).errorf("", "", "report has %d paragraphs; the limit is %d segments — split it into several reports", paragraphs, MaxSegments))
	}
	return bad == 0 && paragraphs <= MaxSegments
}

// nesting counts the container markers a line opens with (">", "-", "+",
// "*", "1." or "1)" followed by a space) and its deepest run of
// whitespace between them, in columns (a tab counts 4).
func nesting(l []byte) (depth, indent int) {
	i := 0
	for {
		cols := 0
		for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
			if l[i] == '\t' {
				cols += 4
			} else {
				cols++
			}
			i++
		}
		indent = max(indent, cols)
		if i >= len(l) {
			return depth, indent
		}
		switch c := l[i]; {
		case c == '>':
			i++
		case c == '-' || c == '+' || c == '*':
			if i+1 < len(l) && l[i+1] != ' ' && l[i+1] != '\t' {
				return depth, indent
			}
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j >= len(l) || (l[j] != '.' && l[j] != ')') || (j+1 < len(l) && l[j+1] != ' ' && l[j+1] != '\t') {
				return depth, indent
			}
			i = j + 1
		default:
			return depth, indent
		}
		depth++
	}
}

// checkSegments applies the per-segment and per-report limits to the
// segments intake found; lines[i] is segment i's file line (0 if unknown).
func (in *intake) checkSegments(format Format, segs []Segment, lines []int) {
	if len(segs) > MaxSegments {
		in.add(in.at(0).errorf("", "", "report has %d segments; the limit is %d — split it into several reports", len(segs), MaxSegments))
		return
	}
	for i, s := range segs {
		if msg := checkSegmentText(s.Text, MaxSegmentChars, format == FormatMarkdown); msg != "" {
			line := 0
			if i < len(lines) {
				line = lines[i]
			}
			if strings.HasPrefix(msg, "is ") {
				msg += " — split it into shorter paragraphs"
			}
			in.add(in.at(line).errorf("", "", "%s %s", strings.ReplaceAll(string(s.Kind), "_", " "), msg))
		}
	}
}
