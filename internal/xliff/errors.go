package xliff

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kinds of import errors, for errors.Is: an HTTP handler maps ErrMalformed
// to 400, ErrWrongTask, ErrUnknownUnit and ErrPlaceholders to 422 and
// ErrSourceChanged to 409 (export the task again).
var (
	// ErrMalformed: not XML, not XLIFF 2.0, or not a valid XLIFF document.
	ErrMalformed = errors.New("malformed XLIFF")
	// ErrWrongTask: the file belongs to another report or language pair.
	ErrWrongTask = errors.New("file for another task")
	// ErrUnknownUnit: a unit whose id is not a segment of the task.
	ErrUnknownUnit = errors.New("unknown segment")
	// ErrSourceChanged: the source text of a unit is not the task's
	// current source; the file was exported before the report changed.
	ErrSourceChanged = errors.New("source changed since export")
	// ErrPlaceholders: a target's placeholders differ from its source's.
	ErrPlaceholders = errors.New("placeholders differ from the source")
)

// Error is one problem with an imported file; it says where.
type Error struct {
	File string
	Line int    // 0 when no line applies
	Unit string // the unit (segment) id, when the problem is in one unit
	Kind error  // one of the Err* values above
	Msg  string
}

// Error formats as `file:line: unit "id": msg`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Unit != "" {
		fmt.Fprintf(&b, "unit %q: ", e.Unit)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap makes errors.Is(err, ErrSourceChanged) and the like work.
func (e *Error) Unwrap() error { return e.Kind }

// Errors is every unit-level problem of one file, so a translator can fix
// them all in one go.
type Errors []*Error

// Error puts one problem on each line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each problem to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// maxErrors bounds the list: past that, the file is wrong as a whole.
const maxErrors = 50

// errs collects import problems.
type errs struct {
	file string
	list Errors
}

func (c *errs) add(line int, unit string, kind error, format string, args ...any) {
	if len(c.list) < maxErrors {
		c.list = append(c.list, &Error{File: c.file, Line: line, Unit: unit, Kind: kind, Msg: fmt.Sprintf(format, args...)})
	}
}

// err returns nil, the one error, or all of them.
func (c *errs) err() error {
	switch len(c.list) {
	case 0:
		return nil
	case 1:
		return c.list[0]
	}
	return c.list
}
