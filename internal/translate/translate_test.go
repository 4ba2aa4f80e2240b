package translate

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/tm"
)

// counting wraps pseudo-localization and counts segments sent to MT.
type counting struct{ segments atomic.Int64 }

func (c *counting) Translate(ctx context.Context, req mt.Request) ([]mt.Result, error) {
	c.segments.Add(int64(len(req.Segments)))
	return mt.Pseudo{}.Translate(ctx, req)
}

// longReport writes n paragraphs, the k-th changed when revised is true.
func longReport(t testing.TB, n, changed int) report.Report {
	var b strings.Builder
	b.WriteString("---\ntitle: Annual report of the water board\nslug: water-board\nsource: en\n---\n\n")
	for i := 0; i < n; i++ {
		if i == changed {
			// One word changed: the old translation is a fuzzy match.
			fmt.Fprintf(&b, "Paragraph %d reports on district %d, where the board inspected %d kilometres of pipes and met the farmers.\n\n", i, i%17, 10+i)
			continue
		}
		fmt.Fprintf(&b, "Paragraph %d reports on district %d, where the board inspected %d kilometres of pipes and met the residents.\n\n", i, i%17, 10+i)
	}
	r, err := report.Parse("water.md", []byte(b.String()), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return *r
}

// remember adds an approved draft to the memory, as publishing does.
func remember(mem *tm.Memory, src report.Report, tr report.Translation) {
	texts := map[string]string{}
	for _, s := range tr.Segments {
		texts[s.ID] = s.Text
	}
	for _, s := range src.Segments {
		mem.Add(tm.Entry{SourceLocale: src.Source, TargetLocale: tr.Locale, Source: s.Text, Target: texts[s.ID], Slug: src.Slug, SegmentID: s.ID, Time: time.Unix(1, 0)})
	}
}

func TestRevisedReportMachineTranslatesOnlyTheChangedParagraph(t *testing.T) {
	ctx := context.Background()
	mem := tm.New()
	first := longReport(t, 200, -1)
	for _, locale := range []string{"fr", "ar", "zh-Hans"} {
		c := &counting{}
		tr, st, err := Draft(ctx, first, "sha1", locale, mem, c)
		if err != nil {
			t.Fatal(err)
		}
		if st.MT != 201 || c.segments.Load() != 201 {
			t.Fatalf("first run %s: %+v, %d sent", locale, st, c.segments.Load())
		}
		remember(mem, first, tr)
	}
	revised := longReport(t, 200, 57)
	for _, locale := range []string{"fr", "ar", "zh-Hans"} {
		c := &counting{}
		tr, st, err := Draft(ctx, revised, "sha2", locale, mem, c)
		if err != nil {
			t.Fatal(err)
		}
		if c.segments.Load() != 1 || st.Exact != 200 || st.MT != 1 {
			t.Fatalf("second run %s: %+v, %d segments machine-translated; want 1", locale, st, c.segments.Load())
		}
		var changed report.TranslatedSegment
		for _, s := range tr.Segments {
			if strings.HasPrefix(s.Provenance, "mt:") {
				changed = s
			} else if s.Provenance != "tm-exact" {
				t.Errorf("segment %s: provenance %q", s.ID, s.Provenance)
			}
		}
		// The old version of the paragraph is offered beside the new MT.
		if len(changed.Suggestions) != 1 || changed.Suggestions[0].Score < FuzzyThreshold || !strings.HasPrefix(changed.Suggestions[0].Provenance, "tm-fuzzy ") {
			t.Errorf("%s: changed paragraph suggestions %+v", locale, changed.Suggestions)
		}
	}
}

func TestFailingSegmentFailsTheDraftAndNamesIt(t *testing.T) {
	src := longReport(t, 3, -1)
	_, _, err := Draft(context.Background(), src, "s", "fr", tm.New(), failing{id: src.Segments[2].ID})
	if err == nil || !strings.Contains(err.Error(), src.Segments[2].ID) || !strings.Contains(err.Error(), "1 of 4 segments") {
		t.Fatalf("got %v", err)
	}
}

type failing struct{ id string }

func (f failing) Translate(ctx context.Context, req mt.Request) ([]mt.Result, error) {
	res, _ := mt.Pseudo{}.Translate(ctx, req)
	for i := range res {
		if res[i].ID == f.id {
			res[i] = mt.Result{ID: f.id, Err: fmt.Errorf("engine choked")}
		}
	}
	return res, nil
}

// BenchmarkRevisedReport measures MT segments per locale when a
// 200-paragraph report comes back with one paragraph changed, with the
// translation memory and without it (the baseline), in one run.
func BenchmarkRevisedReport(b *testing.B) {
	ctx := context.Background()
	first, revised := longReport(b, 200, -1), longReport(b, 200, 57)
	for _, withTM := range []bool{true, false} {
		name := "with-memory"
		if !withTM {
			name = "baseline-no-memory"
		}
		b.Run(name, func(b *testing.B) {
			mem := tm.New()
			tr, _, err := Draft(ctx, first, "s1", "fr", mem, &counting{})
			if err != nil {
				b.Fatal(err)
			}
			remember(mem, first, tr)
			var memory Memory = mem
			if !withTM {
				memory = nil
			}
			c := &counting{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := Draft(ctx, revised, "s2", "fr", memory, c); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.segments.Load())/float64(b.N), "mt-segments/locale")
		})
	}
}
