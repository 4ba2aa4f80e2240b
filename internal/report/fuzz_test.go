package report

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/pressroom/pressroom/internal/testseed"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"# T\n\nBody.\n",
		"---\ntitle: T\nsummary: S\ntargets: [fr, zh-Hans]\ndate: 2024-01-23\n---\n## H\n\nP *x* [l](u).\n\n- a\n  1. b\n\n> q\n",
		"---\ntitle: |\n  a\n---\n",
		"Title\r\n\r\nPara\r\nsize: A A A\r\nBack to list",
		"# T\n\n```\ncode\n```\n\n| a |\n|---|\n",
		"# T\n\nSame\n\nSame\n\n- Same\n",
		"\ufeff---\n---\n#\n",
	} {
		f.Add(true, []byte(s))
		f.Add(false, []byte(s))
	}
	// The shared seed joins the corpus when it is beside the clone.
	if p, err := testseed.Lookup(testseed.Report); err == nil {
		if seed, err := os.ReadFile(p); err == nil {
			f.Add(false, seed)
		}
	}
	f.Fuzz(func(t *testing.T, markdown bool, data []byte) {
		name := "f.txt"
		if markdown {
			name = "f.md"
		}
		r, err := Parse(name, data, Options{})
		if err != nil {
			if r != nil {
				t.Fatalf("report returned with error %v", err)
			}
			es, ok := err.(Errors)
			if !ok || len(es) == 0 {
				t.Fatalf("error %T %v is not a non-empty Errors", err, err)
			}
			for _, e := range es {
				if e == nil || e.Msg == "" {
					t.Fatalf("empty problem in %v", err)
				}
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("parsed report does not validate: %v", err)
		}
		seen := map[string]bool{}
		for _, id := range r.SegmentIDs() {
			if seen[id] {
				t.Fatalf("duplicate ID %q", id)
			}
			seen[id] = true
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := back.Validate(); err != nil || back.SHA256() != r.SHA256() {
			t.Fatalf("JSON round trip: %v", err)
		}
	})
}
