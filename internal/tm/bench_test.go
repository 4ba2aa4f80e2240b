package tm

import (
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
