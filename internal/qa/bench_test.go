package qa

import (
	"strings"
	"testing"
)

// BenchmarkCheckWorstSegment runs the checks on the worst segment a
// translator can now submit (20,000 characters with the most [ allowed)
// beside one of the 80,000-character segments that used to be accepted, in
// the same run: the cost grows with the square of the length, which is why
// edits and XLIFF targets are bounded.
// go test -run '^$' -bench CheckWorstSegment -benchtime 3x ./internal/qa/
func BenchmarkCheckWorstSegment(b *testing.B) {
	cfg := DefaultConfig()
	for _, c := range []struct {
		name string
		text string
	}{
		{"at-limit-20000-chars-100-links", strings.Repeat("[a](", 100) + strings.Repeat("x ", (20_000-400)/2)},
		{"at-limit-20000-chars-emphasis", strings.Repeat("**_", 20_000/3)},
		{"baseline-unbounded-80000-chars-links", strings.Repeat("[a](", 20_000)},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Check(cfg, "p-1", "Source text.", c.text, "en", "fr", true)
			}
		})
	}
}
