package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/report"
)

func TestPercentilesByNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if p := percentiles(ds); p.P50 != 50 || p.P95 != 95 || p.P99 != 99 {
		t.Errorf("got %+v; want 50/95/99", p)
	}
	if p := percentiles([]time.Duration{7 * time.Millisecond}); p.P50 != 7 || p.P99 != 7 {
		t.Errorf("one sample: %+v", p)
	}
	if p := percentiles(nil); p != (Percentiles{}) {
		t.Errorf("no samples: %+v", p)
	}
}

func TestValidateNamesTheFlag(t *testing.T) {
	good := Config{Reports: 1, Targets: 5, Paragraphs: 12, Concurrency: 4, Poll: time.Millisecond, Timeout: time.Second}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.Targets, bad.Reports = MaxTargets+1, 0
	err := bad.Validate()
	if err == nil || !strings.Contains(err.Error(), "--targets 13") || !strings.Contains(err.Error(), "--reports 0") {
		t.Errorf("got %v", err)
	}
}

// Bench reports are valid reports with the asked-for paragraphs, and
// differ from one another.
func TestReportsParse(t *testing.T) {
	a, err := report.Parse("a.md", Report("bench-x", 1, 12), report.Options{Slug: "bench-x-0001", Targets: []string{"fr"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(a.Segments); got != 12+2 { // title, summary, paragraphs
		t.Errorf("%d segments", got)
	}
	if string(Report("bench-x", 1, 3)) == string(Report("bench-x", 2, 3)) {
		t.Error("two reports are the same")
	}
}
