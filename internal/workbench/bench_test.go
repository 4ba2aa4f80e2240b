package workbench

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

// BenchmarkRenderTask1000 renders the task editor of a 1,000-segment
// task (no Temporal or S3: the page itself).
//
//	go test -run '^$' -bench RenderTask1000 -benchmem ./internal/workbench/
func BenchmarkRenderTask1000(b *testing.B) {
	s := New(&service.Service{}, &auth.Users{}, slog.New(slog.DiscardHandler))
	v := taskView{Slug: "bench", Locale: "fr", SourceLocale: "en", Status: workflows.LocaleStatus{Stage: workflows.StageInReview, Round: 1}, CanWork: true}
	for i := range 1000 {
		src := fmt.Sprintf("Paragraph %d: the committee met %d times and agreed on [item %d](https://example.org/%d).", i, i%7, i*3, i)
		seg := segmentView{TaskSegment: service.TaskSegment{ID: fmt.Sprintf("p-%010d", i), Kind: report.KindParagraph, Source: src,
			Target: "⟦ " + src + " ⟧", Provenance: "mt:pseudo"}, Chips: mt.ProtectedSpans(src, report.FormatMarkdown)}
		if i%10 == 0 {
			seg.Findings = []qa.Finding{{SegmentID: seg.ID, Check: "numbers", Severity: qa.Warning, Message: "number 3 is missing"}}
			seg.Warnings = 1
		}
		if i%5 == 0 {
			sug := report.Suggestion{Text: "Paragraphe", Score: 87, Provenance: "tm-fuzzy 87%", Source: src + " again"}
			seg.Suggestion = []suggestionView{{Suggestion: sug, N: 1, Diff: wordDiff(sug.Source, src)}}
		}
		v.Segments = append(v.Segments, seg)
	}
	r := httptest.NewRequest("GET", "/workbench/tasks/bench/fr", nil)
	u := auth.User{Name: "claire", Role: auth.RoleTranslator, Locales: []string{"fr"}}
	all := v
	v.paginate("1")
	for _, c := range []struct {
		name string
		v    taskView
	}{{"first-page", v}, {"all-on-one-page-baseline", all}} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				w := httptest.NewRecorder()
				s.render(w, r, &u, 200, "task", "WbTaskTitle", c.v)
				n = w.Body.Len()
				io.Copy(io.Discard, w.Body)
			}
			b.ReportMetric(float64(n)/1024, "KiB/page")
		})
	}
}
