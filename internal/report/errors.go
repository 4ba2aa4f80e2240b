package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Error is one problem with input; it says where. File is empty when the
// value came from Options (a command-line flag) rather than the file, and
// Line is 0 when no line applies. When Locale is set, Msg continues the
// sentence `locale "xx" ...`.
type Error struct {
	File   string
	Line   int
	Field  string
	Locale string
	Msg    string
}

// Error formats as `file:line: field "f": locale "l" msg`, leaving out the
// parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	loc := e.File
	if e.Line > 0 {
		if loc == "" {
			loc = "line "
		} else {
			loc += ":"
		}
		loc += strconv.Itoa(e.Line)
	}
	if loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	if e.Locale != "" {
		fmt.Fprintf(&b, "locale %q ", e.Locale)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one input, so a user can fix them all
// in one go instead of one per attempt.
type Errors []*Error

// Error puts one problem on each line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// orNil avoids returning a typed nil inside a non-nil error interface.
func (es Errors) orNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// sorted orders problems by line, those without a line last.
func (es Errors) sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Line, es[j].Line
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
	return es
}

// where is the origin of a value: a file line, or nothing for values from
// Options or from a Report being re-validated.
type where struct {
	file string
	line int
}

func (w where) errorf(field, locale, format string, args ...any) *Error {
	return &Error{File: w.file, Line: w.line, Field: field, Locale: locale, Msg: fmt.Sprintf(format, args...)}
}
