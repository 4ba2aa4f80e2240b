package tm

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestBoundedDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("abcé 中")
	randText := func() []rune {
		r := make([]rune, rng.IntN(25))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return r
	}
	var buf []int
	for range 20000 {
		a, b := randText(), randText()
		if rng.IntN(3) == 0 { // related texts: b is a with a few edits
			b = append([]rune(nil), a...)
			for range rng.IntN(4) {
				if len(b) > 0 {
					b[rng.IntN(len(b))] = alphabet[rng.IntN(len(alphabet))]
				}
			}
		}
		d := levenshtein(a, b)
		for _, k := range []int{0, 1, 2, 3, 5, 8, 30} {
			want := min(d, k+1)
			if got := boundedDistance(a, b, k, &buf); got != want {
				t.Fatalf("boundedDistance(%q, %q, %d) = %d; want %d (distance %d)", string(a), string(b), k, got, want, d)
			}
		}
	}
}

// The index must return exactly what the naive scan returns: same entry,
// same score, for every threshold, including ties (few distinct times).
func TestLookupMatchesLinearScan(t *testing.T) {
	n, queries := 5000, 600
	if testing.Short() || raceEnabled {
		n, queries = 1200, 150
	}
	c := newCorpus(42)
	es := c.entries(n)
	// Short texts over a small alphabet: many near matches and ties, and
	// lengths where the trigram filter is weakest.
	rng := rand.New(rand.NewPCG(7, 8))
	short := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(14) {
			b.WriteByte("abc d"[rng.IntN(5)])
		}
		return b.String()
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n / 4 {
		es = append(es, Entry{SourceLocale: "en", TargetLocale: "fr", Source: short(), Target: "t",
			Time: base.Add(time.Duration(rng.IntN(3)) * time.Hour), SegmentID: string(rune('a' + i%26))})
	}
	for i := range es {
		if i%3 == 0 {
			es[i].Time = base // many equal times: ties fall to the later addition
		}
	}
	m := New()
	m.Add(es...)

	qs := c.queries(es[:n], queries)
	for range queries / 2 {
		qs = append(qs, short())
	}
	for i := range queries / 4 { // near-duplicates of the short texts
		s := []byte(es[n+i].Source)
		s[rng.IntN(len(s))] = "abc d"[rng.IntN(5)]
		qs = append(qs, string(s))
	}
	fuzzy := 0
	for _, q := range qs {
		// The naive scan's best match is the same for every threshold it
		// passes, so one scan answers all of them.
		best, any := linearLookup(m, "en", "fr", q, 0)
		if lin, ok := linearLookup(m, "en", "fr", q, 75); ok != (any && best.Score >= 75) || (ok && lin != best) {
			t.Fatalf("linearLookup(%q) at 75 = %+v, %v; at 0 = %+v", q, lin, ok, best)
		}
		for _, minScore := range []int{0, 40, 60, 67, 70, 75, 80, 90, 99, 100} {
			want, wok := best, any && best.Score >= minScore
			if !wok {
				want = Match{}
			}
			got, gok := m.Lookup("en", "fr", q, minScore)
			if got != want || gok != wok {
				t.Fatalf("min %d, query %q:\nLookup       = %+v, %v\nlinearLookup = %+v, %v", minScore, q, got, gok, want, wok)
			}
			if wok && !want.Exact && minScore == 75 {
				fuzzy++
			}
		}
	}
	if fuzzy < len(qs)/4 {
		t.Errorf("only %d fuzzy matches at 75 for %d queries: the test data exercise too little", fuzzy, len(qs))
	}
}
