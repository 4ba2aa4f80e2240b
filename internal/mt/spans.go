package mt

import "github.com/pressroom/pressroom/internal/report"

// ProtectedSpans returns the parts of text that translation must keep as
// they are — placeholders, inline markup, URLs, numbers, code spans — in
// order, adjacent ones merged: the same spans MT protects, which the
// workbench offers as chips to insert.
func ProtectedSpans(text string, format report.Format) []string {
	var out []string
	for _, s := range protectedSpans(text, format) {
		out = append(out, text[s.start:s.end])
	}
	return out
}
