package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// MaxEditsSize bounds an edits file: every segment of the largest report
// at the translation limit would not fit, but edits are corrections, and
// a file this size is a wrong file.
const MaxEditsSize = 8 << 20

// ParseEdits reads an edits file — a JSON object of segment ID to
// corrected text, {"p-3f2a1b9c0d": "Texte corrigé."} — and checks it:
// size, JSON (with the line of a syntax error), segment IDs, and every
// text against MaxTranslationChars and MaxLinkOpeners. Errors name the
// file, the line when there is one, and the segment.
func ParseEdits(name string, data []byte) (map[string]string, error) {
	if len(data) > MaxEditsSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("the edits file is %d bytes; the limit is %d bytes (8 MiB)", len(data), MaxEditsSize)}
	}
	var edits map[string]string
	if err := json.Unmarshal(data, &edits); err != nil {
		line := 0
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line = 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		case errors.As(err, &te):
			line = 1 + bytes.Count(data[:te.Offset], []byte("\n"))
		}
		return nil, &Error{File: name, Line: line, Msg: "edits must be a JSON object of segment ID to text: " + err.Error()}
	}
	if len(edits) == 0 {
		return nil, &Error{File: name, Msg: "the edits file names no segments"}
	}
	if len(edits) > MaxSegments {
		return nil, &Error{File: name, Msg: fmt.Sprintf("the edits file names %d segments; a report has at most %d", len(edits), MaxSegments)}
	}
	var errs Errors
	for _, id := range slices.Sorted(maps.Keys(edits)) {
		if err := ValidSegmentID(id); err != nil {
			errs = append(errs, &Error{File: name, Msg: err.Error()})
		} else if err := CheckTranslation(id, edits[id]); err != nil {
			errs = append(errs, &Error{File: name, Msg: err.(*Error).Msg})
		}
		if len(errs) == maxUTF8Lines {
			break
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return edits, nil
}
