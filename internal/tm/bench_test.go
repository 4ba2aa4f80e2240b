package tm

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

const (
	benchEntries = 100_000
	benchQueries = 1_000
	// linearQueries bounds the naive scan: each query computes the full
	// distance to all 100,000 entries, so it is measured over the first 50
	// queries (same mix) and reported per segment like the index.
	linearQueries = 50
	benchMinScore = 75
)

var bench struct {
	once    sync.Once
	entries []Entry
	queries []string
}

func benchCorpus() ([]Entry, []string) {
	bench.once.Do(func() {
		c := newCorpus(2026)
		bench.entries = c.entries(benchEntries)
		bench.queries = c.queries(bench.entries, benchQueries)
	})
	return bench.entries, bench.queries
}

// buildMemory loads es and returns the memory, the heap it added and how
// long loading took. The entries' texts are shared with es, so the heap
// figure is the memory's own structures: slots and exact-match map, plus
// the trigram index unless noIndex. Entries are added batch at a time.
func buildMemory(es []Entry, noIndex bool, batch int) (*Memory, uint64, time.Duration) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	m := New()
	m.noIndex = noIndex
	for len(es) > 0 {
		k := min(batch, len(es))
		m.Add(es[:k]...)
		es = es[k:]
	}
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	return m, after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc), took
}

// BenchmarkLookup: 1,000 segments (10% exact, 30% one word changed, 60%
// new) against 100,000 pseudo-English sentences, minimum score 75. One
// op is the whole query set; ns/segment is per lookup.
func BenchmarkLookup(b *testing.B) {
	es, qs := benchCorpus()
	run := func(b *testing.B, noIndex bool, batch int, qs []string, lookup func(*Memory, string) bool) {
		m, heap, took := buildMemory(es, noIndex, batch)
		b.ReportAllocs()
		matched := 0
		cpu0 := cpuTime()
		for b.Loop() {
			matched = 0
			for _, q := range qs {
				if lookup(m, q) {
					matched++
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(qs)), "ns/segment")
		// CPU time is what a lookup costs whatever else the machine runs
		// (a shared machine stretches wall time, not this).
		b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N*len(qs)), "cpu-ns/segment")
		b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(took.Milliseconds()), "load-ms")
		b.ReportMetric(100*float64(matched)/float64(len(qs)), "%matched")
		runtime.KeepAlive(m)
	}
	lookup := func(m *Memory, q string) bool {
		_, ok := m.Lookup("en", "fr", q, benchMinScore)
		return ok
	}
	b.Run("index", func(b *testing.B) { run(b, false, len(es), qs, lookup) })
	// As a worker loads a memory: one shard (here 100 entries) at a time,
	// so posting lists are sorted many times and some keep unsorted tails.
	b.Run("index-by-shard", func(b *testing.B) { run(b, false, 100, qs, lookup) })
	b.Run("linear", func(b *testing.B) {
		run(b, true, len(es), qs[:linearQueries], func(m *Memory, q string) bool {
			_, ok := linearLookup(m, "en", "fr", q, benchMinScore)
			return ok
		})
	})
}

// BenchmarkLookupBoilerplate: a memory of near-duplicate paragraphs, as a
// newsroom's boilerplate (and `pressroom bench`'s reports) make one: 5,000
// entries differing only in their numbers, and 200 new ones looked up.
// Nearly every entry passes the count filter, so the lookup's cost is in
// ordering and verifying candidates. "all-sorted" orders every candidate
// first, as lookups did before; "linear" is the scan.
func BenchmarkLookupBoilerplate(b *testing.B) {
	para := func(report, p int) string {
		return fmt.Sprintf("Paragraph %d of report %d: the working group met on day %d and agreed on %d measures, which the secretariat will publish with the figures for every region.", p+1, report, p%28+1, (report+p)%50+2)
	}
	var es []Entry
	for r := range 5_000 / 12 {
		for p := range 12 {
			s := para(r, p)
			es = append(es, Entry{SourceLocale: "en", TargetLocale: "fr", Source: s, Target: "[fr] " + s,
				Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r) * time.Minute)})
		}
	}
	var qs []string
	for r := range 200 / 12 {
		for p := range 12 {
			qs = append(qs, para(10_000+r, p))
		}
	}
	run := func(b *testing.B, m *Memory, qs []string, lookup func(*Memory, string) (Match, bool)) {
		matched, cpu0 := 0, cpuTime()
		for b.Loop() {
			matched = 0
			for _, q := range qs {
				if _, ok := lookup(m, q); ok {
					matched++
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(qs)), "ns/segment")
		b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N*len(qs)), "cpu-ns/segment")
		b.ReportMetric(100*float64(matched)/float64(len(qs)), "%matched")
	}
	lookup := func(m *Memory, q string) (Match, bool) { return m.Lookup("en", "fr", q, benchMinScore) }
	m := New()
	m.Add(es...)
	b.Run("index", func(b *testing.B) { run(b, m, qs, lookup) })
	sorted := New()
	sorted.sortAll = true
	sorted.Add(es...)
	b.Run("index-all-sorted", func(b *testing.B) { run(b, sorted, qs, lookup) })
	b.Run("linear", func(b *testing.B) {
		run(b, m, qs[:12], func(m *Memory, q string) (Match, bool) { return linearLookup(m, "en", "fr", q, benchMinScore) })
	})
}
