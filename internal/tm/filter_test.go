package tm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// The count filter's rule: texts that score at least s share at least
// max(n, m)+2−3k trigrams at shifts inside shiftWindow. Checked directly,
// counting as the index counts (each entry occurrence weighted by the
// query occurrences in its window), on pairs built to sit at the
// threshold: k edits of the kinds that hurt the filter most.
func TestShiftWindowKeepsEveryMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	alphabets := [][]rune{[]rune("ab "), []rune("abcde "), []rune("的一是不了人"), []rune("في من")}
	checked := 0
	for range 20000 {
		alpha := alphabets[rng.IntN(len(alphabets))]
		a := randomRunes(rng, alpha, 1+rng.IntN(60))
		s := []int{67, 70, 75, 80, 90, 95}[rng.IntN(6)]
		b := editNear(rng, alpha, a, maxDist(len(a), s)+rng.IntN(3)-1)
		n, m := len(a), len(b)
		l := max(n, m)
		k := maxDist(l, s)
		if score(levenshtein(a, b, nil), l) < s || l+2-3*k <= 0 {
			continue // not a match, or the index would scan
		}
		checked++
		lo, hi := shiftWindow(n, s, m, m)
		ga, gb := appendGrams(nil, a), appendGrams(nil, b)
		shared := 0
		for p, g := range gb {
			for o, h := range ga {
				if g == h && p-o >= lo && p-o <= hi {
					shared++
				}
			}
		}
		if need := l + 2 - 3*k; shared < need {
			t.Fatalf("%q vs %q at %d: %d trigrams shared at shifts [%d, %d], the filter needs %d", string(a), string(b), s, shared, lo, hi, need)
		}
		// A bucket's window covers each of its lengths' windows.
		blo, bhi := shiftWindow(n, s, bucketMinLen(lengthBucket(m)), bucketMaxLen(lengthBucket(m)))
		if blo > lo || bhi < hi {
			t.Fatalf("bucket window [%d, %d] misses length %d's [%d, %d]", blo, bhi, m, lo, hi)
		}
	}
	t.Logf("%d matching pairs checked", checked)
	if checked < 5000 {
		t.Errorf("only %d matching pairs checked: the generator exercises too little", checked)
	}
}

// The index against the scan on texts built to defeat the filters:
// near-duplicates edited up to and just past each threshold (substitutions
// spread to destroy the most trigrams, blocks inserted at the start and
// deleted at the end to shift the rest as far as allowed), in English,
// Chinese and Arabic, at lengths on both sides of the length buckets'
// edges and of position 255, added in small batches so that posting lists
// are read both sorted by band and with unsorted tails.
func TestLookupMatchesLinearScanNearThreshold(t *testing.T) {
	perPair, queries := 700, 150
	if testing.Short() || raceEnabled {
		perPair, queries = 350, 50
	}
	// Split even short posting lists into bands, as a large memory's are.
	defer func(was int) { bandFrom = was }(bandFrom)
	bandFrom = 16
	rng := rand.New(rand.NewPCG(21, 22))
	c := newCorpus(23)
	// A small vocabulary: many near matches, and trigrams common enough
	// for posting lists long enough to be split into bands.
	c.words = corpusWords[:60]
	han := []rune("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年")
	arabic := strings.Fields("في من على إلى أن هذا التي الذي مع كان عن بين المجلس الحكومة التقرير")
	texts := map[string]func() []rune{
		"en": func() []rune { return []rune(c.sentence()) },
		"zh": func() []rune { return randomRunes(rng, han, 8+rng.IntN(40)) },
		"ar": func() []rune {
			var w []string
			for range 4 + rng.IntN(12) {
				w = append(w, arabic[rng.IntN(len(arabic))])
			}
			return []rune(strings.Join(w, " ") + ".")
		},
	}
	alphabetOf := map[string][]rune{"en": []rune("abcdefghijklmnopqrstuvwxyz ,."), "zh": han, "ar": []rune("فيمنعلىإأهذاالتي ")}
	// Lengths at the edges of the length buckets and of the saturated
	// position, cut from or padded to the wanted length.
	edges := []int{15, 16, 17, 31, 32, 47, 48, 127, 128, 254, 255, 256, 257, 300}
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	m := New()
	stored := map[string][][]rune{}
	for _, lang := range []string{"en", "zh", "ar"} {
		var es []Entry
		for i := range perPair {
			r := texts[lang]()
			if i%10 == 0 {
				r = toLength(r, edges[rng.IntN(len(edges))], texts[lang])
			}
			stored[lang] = append(stored[lang], r)
			es = append(es, Entry{SourceLocale: lang, TargetLocale: "fr", Source: string(r), Target: "t",
				SegmentID: fmt.Sprint(i), Time: base.Add(time.Duration(rng.IntN(3)) * time.Hour)})
		}
		for len(es) > 0 { // batches of 1 to 40
			k := min(len(es), 1+rng.IntN(40))
			m.Add(es[:k]...)
			es = es[k:]
		}
	}
	banded, tails := 0, 0
	for _, p := range m.pairs {
		for _, lists := range p.postings {
			for _, l := range lists {
				if l.start != nil {
					banded++
					if len(l.tail) > 0 {
						tails++
					}
				}
			}
		}
	}
	if banded < 20 || tails < 5 {
		t.Fatalf("%d banded posting lists, %d of them with a tail: the test exercises too little", banded, tails)
	}

	thresholds := []int{67, 70, 75, 80, 85, 90, 95, 99}
	atThreshold, matched := 0, 0
	for i := range queries {
		for _, lang := range []string{"en", "zh", "ar"} {
			src := stored[lang][rng.IntN(len(stored[lang]))]
			s := thresholds[rng.IntN(len(thresholds))]
			q := editNear(rng, alphabetOf[lang], src, maxDist(len(src), s)+rng.IntN(3)-1)
			if i%7 == 0 {
				q = texts[lang]() // mostly no match
			}
			best, any := linearLookup(m, lang, "fr", string(q), 0)
			if any && !best.Exact {
				if best.Score >= 75 {
					matched++
				}
				if slices.Contains(thresholds, best.Score) {
					atThreshold++
				}
			}
			for _, minScore := range thresholds {
				want, wok := best, any && best.Score >= minScore
				if !wok {
					want = Match{}
				}
				got, gok := m.Lookup(lang, "fr", string(q), minScore)
				if got != want || gok != wok {
					t.Fatalf("%s, min %d, query of %d code points %q:\nLookup       = %+v, %v\nlinearLookup = %+v, %v", lang, minScore, len(q), string(q), got, gok, want, wok)
				}
			}
		}
	}
	t.Logf("%d queries: %d fuzzy matches at 75, %d scoring exactly a threshold; %d banded posting lists, %d with a tail", 3*queries, matched, atThreshold, banded, tails)
	if matched < queries || atThreshold < queries/4 {
		t.Errorf("%d fuzzy matches at 75 and %d scoring exactly a threshold in %d queries: the test exercises too little", matched, atThreshold, 3*queries)
	}
}

// Settling keeps every posting and each band in order of member, with
// the band offsets right, whatever the batch sizes, in 16 bits while the
// members fit and in 32 after.
func TestPostingListsSettle(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, batches := range [][]int{{5000}, {1, 1, 1, 700, 3, 1, 900, 2, 2000}, {64, 65, 66, 600, 513}, {200, 70000, 100, 3000}} {
		var l postingList
		var want [numBands][]uint32 // members by band
		var packed []uint32         // everything, while unbanded
		member := uint32(0)
		for _, size := range batches {
			for range size {
				v := member<<posBits | uint32(rng.IntN(posUnknown+1))
				member += 1 + uint32(rng.IntN(2)) // not every member has the trigram
				want[bandOf(v)] = append(want[bandOf(v)], v>>posBits)
				packed = append(packed, v)
				l.add(v)
			}
			l.settle()
			if len(l.tail) != 0 {
				t.Fatalf("batches %v: %d postings left in the tail", batches, len(l.tail))
			}
			if l.start == nil {
				if len(packed) >= bandFrom || !slices.Equal(l.sorted, packed) {
					t.Fatalf("batches %v: unbanded list of %d postings differs from the %d added", batches, len(l.sorted), len(packed))
				}
				continue
			}
			if wide := member > 1<<16; wide != (l.m16 == nil) {
				t.Fatalf("batches %v: members up to %d kept in 16 bits: %v", batches, member, l.m16 != nil)
			}
			for b := range numBands {
				var got []uint32
				if l.m16 != nil {
					for _, m := range l.m16[l.start[b]:l.start[b+1]] {
						got = append(got, uint32(m))
					}
				} else {
					got = l.sorted[l.start[b]:l.start[b+1]]
				}
				if !slices.Equal(got, want[b]) {
					t.Fatalf("batches %v: band %d holds %d members, want %d (first %v, want %v)", batches, b, len(got), len(want[b]), got[:min(3, len(got))], want[b][:min(3, len(want[b]))])
				}
			}
		}
	}
}

func randomRunes(rng *rand.Rand, alpha []rune, n int) []rune {
	r := make([]rune, n)
	for i := range r {
		r[i] = alpha[rng.IntN(len(alpha))]
	}
	return r
}

// toLength cuts r to n code points, or pads it with more text.
func toLength(r []rune, n int, more func() []rune) []rune {
	for len(r) < n {
		r = append(append(r, ' '), more()...)
	}
	return r[:n]
}

// editNear returns a copy of a with about d edits of one kind: spread
// substitutions (each destroys three trigrams), a block inserted at the
// start, a block deleted at the end, both (the largest shifts), or random
// edits.
func editNear(rng *rand.Rand, alpha []rune, a []rune, d int) []rune {
	b := slices.Clone(a)
	d = max(d, 0)
	pick := func() rune { return alpha[rng.IntN(len(alpha))] }
	switch rng.IntN(5) {
	case 0:
		for i := range d {
			if len(b) > 0 {
				b[(2*i+1)*len(b)/(2*d)%len(b)] = pick()
			}
		}
	case 1:
		b = append(randomRunes(rng, alpha, d), b...)
	case 2:
		b = b[:max(0, len(b)-d)]
	case 3:
		b = append(randomRunes(rng, alpha, d/2), b[:max(0, len(b)-(d-d/2))]...)
	default:
		for range d {
			switch i := rng.IntN(len(b) + 1); rng.IntN(3) {
			case 0:
				b = slices.Insert(b, i, pick())
			case 1:
				if i < len(b) {
					b = slices.Delete(b, i, i+1)
				}
			default:
				if i < len(b) {
					b[i] = pick()
				}
			}
		}
	}
	if len(b) == 0 {
		b = []rune{pick()}
	}
	return b
}

// A length bucket of more than 65,536 members keeps its banded postings
// in 32 bits; lookups must still agree with the scan.
func TestLookupMatchesLinearScanWideBucket(t *testing.T) {
	queries := 20
	if testing.Short() || raceEnabled {
		queries = 6
	}
	rng := rand.New(rand.NewPCG(41, 42))
	alpha := []rune("abcdef ")
	m := New()
	var es []Entry
	for len(es) < 1<<16+5000 {
		es = append(es, Entry{SourceLocale: "en", TargetLocale: "de", Source: "x" + string(randomRunes(rng, alpha, 18+rng.IntN(10))) + "x", Target: "t"})
	}
	m.Add(es[:40000]...) // the bucket's lists go wide at a later sort
	m.Add(es[40000:]...)
	wide := 0
	for _, lists := range m.pair("en", "de").postings {
		for _, l := range lists {
			if l.start != nil && l.m16 == nil {
				wide++
			}
		}
	}
	if wide == 0 {
		t.Fatal("no posting list in 32 bits: the test exercises too little")
	}
	found := 0
	for i := range queries {
		src := []rune(es[rng.IntN(len(es))].Source)
		q := editNear(rng, alpha, src, 2+i%5)
		best, any := linearLookup(m, "en", "de", string(q), 0)
		if any && best.Score >= 75 && !best.Exact {
			found++
		}
		for _, minScore := range []int{70, 75, 85, 95} {
			want, wok := best, any && best.Score >= minScore
			if !wok {
				want = Match{}
			}
			got, gok := m.Lookup("en", "de", string(q), minScore)
			if got != want || gok != wok {
				t.Fatalf("min %d, query %q:\nLookup       = %+v, %v\nlinearLookup = %+v, %v", minScore, string(q), got, gok, want, wok)
			}
		}
	}
	if found < queries/2 {
		t.Errorf("only %d of %d queries matched: the test exercises too little", found, queries)
	}
}
