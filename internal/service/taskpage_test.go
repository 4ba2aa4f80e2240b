package service

import (
	"strings"
	"testing"
)

func TestParseTaskPageSize(t *testing.T) {
	for in, want := range map[string]int{"": DefaultTaskPage, "1": 1, "2": 2, "100": 100, "1000": MaxTaskPage} {
		got, err := ParseTaskPageSize("page_size", in)
		if err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-1", "1001", "5000", "abc", "1.5", " 10", "99999999999999999999"} {
		got, err := ParseTaskPageSize("page_size", in)
		if err == nil {
			t.Errorf("%q accepted as %d", in, got)
			continue
		}
		// The message names the field, the value and the allowed range.
		for _, part := range []string{"page_size", in, "1 to 1000"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("%q: %q does not say %q", in, err, part)
			}
		}
	}
}
