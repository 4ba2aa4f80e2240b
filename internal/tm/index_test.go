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
		d := levenshtein(a, b, nil)
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
	n, queries := 1500, 300
	if testing.Short() || raceEnabled {
		n, queries = 600, 100
	}
	c := newCorpus(42)
	c.minWords, c.maxWords = 2, 14 // shorter than the benchmark's: the naive scan is slow
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
	for i, q := range qs {
		// The naive scan's best match is the same for every threshold it
		// passes, so one scan answers all of them.
		best, any := linearLookup(m, "en", "fr", q, 0)
		thresholds := []int{67, 70, 75, 80, 90, 99, 100}
		if i%10 == 0 {
			if lin, ok := linearLookup(m, "en", "fr", q, 75); ok != (any && best.Score >= 75) || (ok && lin != best) {
				t.Fatalf("linearLookup(%q) at 75 = %+v, %v; at 0 = %+v", q, lin, ok, best)
			}
			// Below 67 Lookup scans instead of using the index (slower, so
			// tested on fewer queries).
			thresholds = append(thresholds, 0, 40, 60, 66)
		}
		for _, minScore := range thresholds {
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

// Texts longer than 255 code points have trigram positions the index
// only knows as "255 or later"; lookups must stay exact for them too.
func TestLookupMatchesLinearScanLongTexts(t *testing.T) {
	entries, queries := 120, 40
	if testing.Short() || raceEnabled {
		entries, queries = 50, 15
	}
	c := newCorpus(99)
	para := func() string {
		var b strings.Builder
		for range 3 + c.rng.IntN(5) {
			b.WriteString(c.sentence())
			b.WriteByte(' ')
		}
		return strings.TrimSpace(b.String())
	}
	m := New()
	var es []Entry
	for i := range entries {
		e := Entry{SourceLocale: "en", TargetLocale: "ru", Source: para(), Target: "т", Time: time.Unix(int64(i%5), 0)}
		es = append(es, e)
	}
	m.Add(es...)
	found := 0
	for i := range queries {
		q := para()
		if i%3 != 0 {
			// A near-duplicate: a word changed, or a sentence dropped.
			src := es[c.rng.IntN(len(es))].Source
			if i%2 == 0 {
				q = c.nearDuplicate(src)
			} else if cut := strings.Index(src, ". "); cut > 0 {
				q = src[cut+2:]
			}
		}
		best, any := linearLookup(m, "en", "ru", q, 0)
		if any && best.Score >= 75 {
			found++
		}
		for _, minScore := range []int{70, 75, 85, 95} {
			got, gok := m.Lookup("en", "ru", q, minScore)
			want, wok := best, any && best.Score >= minScore
			if !wok {
				want = Match{}
			}
			if got != want || gok != wok {
				t.Fatalf("min %d, query of %d code points:\nLookup       = %+v, %v\nlinearLookup = %+v, %v", minScore, len([]rune(q)), got.Score, gok, want.Score, wok)
			}
		}
	}
	if found < queries/3 {
		t.Errorf("only %d of %d queries had a match: the test exercises too little", found, queries)
	}
}

func TestVeryLongQuery(t *testing.T) {
	long := strings.Repeat("The council adopted the budget. ", 200) // 6,400 code points: exact only
	m := New()
	m.Add(Entry{SourceLocale: "en", TargetLocale: "es", Source: long, Target: "x", Time: t1})
	if got, ok := m.Lookup("en", "es", long+"!", 75); ok {
		t.Errorf("a text over MaxFuzzyLength matched fuzzily: %+v", got.Score)
	}
	if got, ok := m.Lookup("en", "es", long, 75); !ok || !got.Exact {
		t.Errorf("exact: got %+v, %v", got.Score, ok)
	}
	limit := strings.Repeat("The council adopted the budget. ", 60) // 1,920 code points: fuzzy
	m.Add(Entry{SourceLocale: "en", TargetLocale: "es", Source: limit, Target: "y", Time: t1})
	if got, ok := m.Lookup("en", "es", limit+"!", 75); !ok || got.Score != 99 {
		t.Errorf("got %+v, %v", got.Score, ok)
	}
}

// Long repetitive text: every trigram past position 255 shares one
// position slot, so one count can exceed what 16 bits hold; the index
// must count wide then and still agree with the scan.
func TestLookupMatchesLinearScanRepetitiveLongText(t *testing.T) {
	m := New()
	m.Add(
		Entry{SourceLocale: "en", TargetLocale: "fr", Source: strings.Repeat("a", 971) + "b", Target: "x"},
		Entry{SourceLocale: "en", TargetLocale: "fr", Source: strings.Repeat("a", 436) + "c", Target: "y"},
		Entry{SourceLocale: "en", TargetLocale: "fr", Source: strings.Repeat("a", 438), Target: "z"},
	)
	for _, q := range []string{strings.Repeat("a", 972), strings.Repeat("a", 437)} {
		for _, minScore := range []int{75, 90, 99} {
			got, gok := m.Lookup("en", "fr", q, minScore)
			want, wok := linearLookup(m, "en", "fr", q, minScore)
			if got != want || gok != wok {
				t.Errorf("min %d, %d code points: Lookup %+v %v, linear %+v %v", minScore, len(q), got, gok, want, wok)
			}
		}
	}
}
