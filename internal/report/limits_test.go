package report

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/text"
)

// Pathological input is refused at intake with the line and the limit,
// before the Markdown parser (whose cost on it is quadratic) reads it.
func TestLimitsRefusePathologicalInput(t *testing.T) {
	long := strings.Repeat("word ", MaxSegmentChars/5+1)
	cases := []struct {
		name, file, data string
		line             int
		want             string
	}{
		{"link openers", "r.md", "# T\n\nIntro.\n\n" + strings.Repeat("[a](", 2000) + "\n", 5, "has 2000 '[' (links or images); the limit is 100"},
		{"nested list markers", "r.md", "# T\n\n" + strings.Repeat("- ", 30_000) + "x\n", 3, "nest 30000 deep; the limit is 10"},
		{"nested quotes", "r.md", "# T\n\n" + strings.Repeat("> ", 11) + "x\n", 3, "nest 11 deep; the limit is 10"},
		{"deep indentation", "r.md", "# T\n\n- a\n" + strings.Repeat(" ", 41) + "- b\n", 4, "indented 41 columns; the limit is 40"},
		{"long paragraph", "r.md", "# T\n\nok\n\n" + long + "\n", 5, "characters long; the limit is 10000 characters per segment"},
		{"long list item", "r.md", "# T\n\n- ok\n- " + long + "\n", 4, "characters long; the limit is 10000"},
		{"long text paragraph", "r.txt", "T\n\nok\n\n" + long + "\n", 5, "characters long; the limit is 10000"},
		{"long text title", "r.txt", long + "\n\nok\n", 1, "characters long; the limit is 10000"},
		{"2 MiB of [", "r.md", "# T\n\n" + strings.Repeat("[", MaxSize-10) + "\n", 3, "characters long"},
		{"too many segments", "r.md", "# T\n\n" + strings.Repeat("x\n\n", 20_000), 0, "20001 paragraphs; the limit is 10000 segments"},
		{"too many text segments", "r.txt", "T\n\n" + strings.Repeat("x\n\n", 20_000), 0, "20001 segments; the limit is 10000"},
		{"too many list items", "r.md", "# T\n\n" + strings.Repeat("- x\n", 10_001), 0, "10002 segments; the limit is 10000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse(c.file, []byte(c.data), Options{})
			if err == nil {
				t.Fatalf("accepted (%d segments)", len(r.Segments))
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T: %v", err, err)
			}
			found := false
			for _, e := range es {
				if strings.Contains(e.Msg, c.want) {
					found = true
					if e.Line != c.line || e.File != c.file {
						t.Errorf("problem at %s:%d, want %s:%d: %v", e.File, e.Line, c.file, c.line, e)
					}
				}
			}
			if !found {
				t.Errorf("no problem says %q:\n%v", c.want, err)
			}
		})
	}
}

// At the limits, reports are accepted: the limits refuse only what is
// over them.
func TestLimitsAcceptUpToTheLimit(t *testing.T) {
	para := strings.Repeat("x", MaxSegmentChars-len("[a](u) ")*MaxLinkOpeners) + strings.Repeat(" [a](u)", MaxLinkOpeners)
	data := "# T\n\n" + para + "\n\n" + strings.Repeat("> ", MaxNesting-1) + "- nested\n"
	r, err := Parse("r.md", []byte(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := len([]rune(r.Segments[1].Text)); got > MaxSegmentChars || strings.Count(r.Segments[1].Text, "[") != MaxLinkOpeners {
		t.Fatalf("segment of %d characters", got)
	}
	var b strings.Builder
	b.WriteString("T\n\n")
	for i := range MaxSegments - 1 {
		fmt.Fprintf(&b, "p%d\n\n", i)
	}
	if r, err := Parse("r.txt", []byte(b.String()), Options{}); err != nil || len(r.Segments) != MaxSegments {
		t.Fatalf("%d segments accepted? %v", len(r.Segments), err)
	}
	// '[' is literal in plain text.
	if _, err := Parse("r.txt", []byte("T\n\n"+strings.Repeat("[", 1000)+"\n"), Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestLimitsTargets(t *testing.T) {
	var targets []string
	for i := range 100_000 {
		targets = append(targets, fmt.Sprintf("x-t%05d", i)) // never reaches the tag check
	}
	_, err := Parse("r.md", []byte("# T\n\nBody.\n"), Options{Targets: targets})
	if err == nil || !strings.Contains(err.Error(), `field "targets": 100000 target locales; the limit is 50 per report`) {
		t.Fatalf("100,000 targets: %v", err)
	}
	fm := "---\ntitle: T\ntargets: [" + strings.Repeat("fr, ", 51) + "es]\n---\nBody.\n"
	if _, err := Parse("r.md", []byte(fm), Options{}); err == nil || !strings.Contains(err.Error(), "52 target locales; the limit is 50") {
		t.Fatalf("front matter targets: %v", err)
	}
	r := &Report{Slug: "s", Source: "en", Format: FormatMarkdown, Targets: targets[:51],
		Segments: []Segment{{ID: "title", Kind: KindTitle, Text: "T"}, {ID: "p-1", Kind: KindParagraph, Text: "b"}}}
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "51 target locales") {
		t.Fatalf("Validate: %v", err)
	}
}

func TestCheckTranslation(t *testing.T) {
	if err := CheckTranslation("p-1", strings.Repeat("é", MaxTranslationChars)); err != nil {
		t.Fatal(err)
	}
	err := CheckTranslation("p-1", strings.Repeat("é", MaxTranslationChars+1))
	if err == nil || !strings.Contains(err.Error(), "translation of segment p-1 is 20001 characters long; the limit is 20000") {
		t.Fatalf("long: %v", err)
	}
	err = CheckTranslation("p-2", strings.Repeat("[a](", MaxLinkOpeners+1))
	if err == nil || !strings.Contains(err.Error(), "segment p-2 has 101 '['") {
		t.Fatalf("links: %v", err)
	}
}

// The refusals are cheap: the whole 2 MiB file is scanned without
// building the parse tree. Run with -benchmem to see the bytes allocated.
func BenchmarkRefuseLinkOpeners(b *testing.B) {
	data := []byte("# T\n\n" + strings.Repeat("[a](", (MaxSize-10)/4) + "\n")
	for b.Loop() {
		if _, err := Parse("r.md", data, Options{}); err == nil {
			b.Fatal("accepted")
		}
	}
}

// Refusing the inputs that used to blow up memory (2 MiB of "x\n\n":
// 699,018 segments and 646 MB; 2 MiB of "[": 817 MB) allocates a few
// copies of the file, not a node per paragraph or bracket.
func TestLimitsRefusalsAllocateLittle(t *testing.T) {
	for name, data := range map[string][]byte{
		"paragraphs": []byte("# T\n\n" + strings.Repeat("x\n\n", (MaxSize-10)/3)),
		"brackets":   []byte("# T\n\n" + strings.Repeat("[", MaxSize-10) + "\n"),
		"nesting":    []byte("# T\n\n" + strings.Repeat("- ", (MaxSize-10)/2) + "x\n"),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		allocs := testing.AllocsPerRun(1, func() {
			if _, err := Parse("r.md", data, Options{}); err == nil {
				t.Fatal("accepted")
			}
		})
		runtime.ReadMemStats(&after)
		// AllocsPerRun runs the function twice (a warm-up and the run).
		bytes := (after.TotalAlloc - before.TotalAlloc) / 2
		if allocs > 1000 || bytes > 8*MaxSize {
			t.Errorf("%s: %v allocations, %d MiB to refuse a %d-byte file; want a few copies of the file", name, allocs, bytes>>20, len(data))
		}
	}
}

// BenchmarkPathologicalIntake compares, in one run, what intake does now
// with the worst input a 2 MiB file can hold against the unbounded parse
// it replaced (goldmark over one 64 KiB paragraph of "[a](", which main
// accepted). go test -run '^$' -bench PathologicalIntake -benchmem ./internal/report/
func BenchmarkPathologicalIntake(b *testing.B) {
	for _, c := range []struct{ name, data string }{
		{"refused/links-2MiB", "# T\n\n" + strings.Repeat("[a](", (MaxSize-10)/4) + "\n"},
		{"refused/nesting-2MiB", "# T\n\n" + strings.Repeat("- ", (MaxSize-10)/2) + "x\n"},
		{"refused/paragraphs-2MiB", "# T\n\n" + strings.Repeat("x\n\n", (MaxSize-10)/3)},
		{"accepted/200-paragraphs-at-the-limits", "# T\n\n" + strings.Repeat(strings.Repeat("[a](", MaxLinkOpeners)+strings.Repeat("x", MaxSegmentChars-4*MaxLinkOpeners)+"\n\n", 200)},
	} {
		b.Run(c.name, func(b *testing.B) {
			data := []byte(c.data)
			for b.Loop() {
				_, _ = Parse("r.md", data, Options{})
			}
		})
	}
	b.Run("baseline/unbounded-goldmark-64KiB-links", func(b *testing.B) {
		src := []byte(strings.Repeat("[a](", 16<<10))
		md := goldmark.New()
		for b.Loop() {
			md.Parser().Parse(text.NewReader(src))
		}
	})
}
