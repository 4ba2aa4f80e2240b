package tm

import (
	"cmp"
	"fmt"
	"slices"
)

// The fuzzy index is an inverted index of character trigrams. Each text is
// padded with two sentinels on both sides, so a text of n code points has
// n+2 trigrams, and one edit (insertion, deletion, substitution) changes at
// most 3 of them. Two texts at edit distance d, the longer of length L,
// therefore share at least L+2−3d trigrams (counted as multisets): the
// "q-gram lemma". For a minimum score s the distance is at most
// k = maxDist(L, s), so a candidate must share T = L+2−3k trigrams.
//
// Lookup uses that in two ways, both lossless:
//
//   - prefix filter: a text sharing at least T_min of the query's G
//     trigrams must share at least one of any G−T_min+1 of them, so only
//     the posting lists of the G−T_min+1 rarest query trigrams are read;
//     the most common ones (" th", "the") are skipped entirely. Reading
//     them counts, per entry, the trigrams shared with that prefix.
//   - count filter: an entry's shared count with the whole query is at
//     most its prefix count plus the T_min−1 trigrams left out; entries
//     whose bound is below their own T, or whose length alone rules out
//     the score, are dropped. What remains is ordered by the best score
//     its bound allows and verified with a banded Levenshtein distance
//     until no remaining bound can beat (or tie) the best score found.
//
// When minScore is so low that T_min ≤ 0 (texts sharing no trigram could
// still qualify: below about 67) the pair is scanned linearly instead.

// Postings pack a slot index and the trigram's count in that entry into
// one uint32: 8 bits of count, 24 bits of index.
const (
	countBits = 8
	maxCount  = 1<<countBits - 1 // a saturated count means "at least this many"
	maxSlots  = 1 << (32 - countBits)
)

// slot is one entry of a pair with what matching needs.
type slot struct {
	entry Entry
	key   string // normalized source text
	runes int    // code points in key
	seq   uint64 // when it was added (breaks ties of Time)
}

// pairIndex holds the entries of one language pair.
type pairIndex struct {
	slots    []slot
	exact    map[string]int32 // normalized source → slot
	indexed  bool
	postings map[uint64][]uint32 // trigram → packed (slot, count), slots ascending
	gramBuf  []uint64            // Add runs under the write lock
	runeBuf  []rune
}

func newPairIndex(indexed bool) *pairIndex {
	p := &pairIndex{exact: map[string]int32{}, indexed: indexed}
	if indexed {
		p.postings = map[uint64][]uint32{}
	}
	return p
}

func (p *pairIndex) add(e Entry, key string, seq uint64) {
	if i, ok := p.exact[key]; ok {
		old := &p.slots[i]
		cand := slot{entry: e, key: old.key, runes: old.runes, seq: seq}
		if newer(&cand, old) {
			*old = cand // same text, same trigrams: the index is unchanged
		}
		return
	}
	if len(p.slots) >= maxSlots {
		panic(fmt.Sprintf("tm: more than %d entries for %s→%s", maxSlots, e.SourceLocale, e.TargetLocale))
	}
	i := len(p.slots)
	p.runeBuf = appendRunes(p.runeBuf[:0], key)
	p.slots = append(p.slots, slot{entry: e, key: key, runes: len(p.runeBuf), seq: seq})
	p.exact[key] = int32(i)
	if !p.indexed {
		return
	}
	p.gramBuf = appendGrams(p.gramBuf[:0], p.runeBuf)
	slices.Sort(p.gramBuf)
	for j := 0; j < len(p.gramBuf); {
		g, c := p.gramBuf[j], 1
		for j+c < len(p.gramBuf) && p.gramBuf[j+c] == g {
			c++
		}
		j += c
		p.postings[g] = append(p.postings[g], uint32(i)<<countBits|uint32(min(c, maxCount)))
	}
}

// scratch is per-lookup working memory, pooled so concurrent lookups do
// not allocate.
type scratch struct {
	counts  []uint32 // per slot: trigrams shared with the query's prefix
	touched []uint32 // slots with a non-zero count
	query   []rune
	cand    []rune
	grams   []uint64
	qgrams  []qgram
	cands   []candidate
	row     []int
}

type qgram struct {
	gram uint64
	mult int // occurrences in the query
	list []uint32
}

type candidate struct {
	slot   uint32
	bound  int // the highest score the count filter allows
	shared int
}

// fuzzy returns the slot of the best match scoring at least s, and its
// score, or -1.
func (p *pairIndex) fuzzy(key string, s int, sc *scratch) (int, int) {
	sc.query = appendRunes(sc.query[:0], key)
	q := sc.query
	n := len(q)
	if !p.indexed || s <= 0 {
		return p.scan(q, s, sc)
	}
	// T_min over every length a match can have: L = n for shorter
	// entries, L = m for longer ones up to the length bound.
	tmin := n + 2
	for l := n; l == n || l-n <= maxDist(l, s); l++ {
		tmin = min(tmin, l+2-3*maxDist(l, s))
		if tmin <= 0 {
			return p.scan(q, s, sc)
		}
	}

	// The query's distinct trigrams, rarest first.
	sc.grams = appendGrams(sc.grams[:0], q)
	slices.Sort(sc.grams)
	sc.qgrams = sc.qgrams[:0]
	for j := 0; j < len(sc.grams); {
		g, c := sc.grams[j], 1
		for j+c < len(sc.grams) && sc.grams[j+c] == g {
			c++
		}
		j += c
		sc.qgrams = append(sc.qgrams, qgram{gram: g, mult: c, list: p.postings[g]})
	}
	slices.SortFunc(sc.qgrams, func(a, b qgram) int {
		return cmp.Or(cmp.Compare(len(a.list), len(b.list)), cmp.Compare(a.gram, b.gram))
	})

	// Prefix filter: count shared trigrams over the rarest G−T_min+1
	// occurrences. A trigram absent from the index costs nothing.
	if cap(sc.counts) < len(p.slots) {
		sc.counts = make([]uint32, len(p.slots))
	}
	counts := sc.counts[:len(p.slots)]
	prefix := n + 2 - tmin + 1
	rest := n + 2 - prefix // occurrences not read: at most this many more shared
	taken := 0
	for _, g := range sc.qgrams {
		t := min(g.mult, prefix-taken)
		if t == 0 {
			break
		}
		taken += t
		for _, v := range g.list {
			i, c := v>>countBits, int(v&maxCount)
			if c == maxCount || c > t {
				c = t
			}
			if counts[i] == 0 {
				sc.touched = append(sc.touched, i)
			}
			counts[i] += uint32(c)
		}
	}

	// Count and length filters; what passes is ordered by its bound.
	sc.cands = sc.cands[:0]
	for _, i := range sc.touched {
		shared := int(counts[i])
		counts[i] = 0
		m := p.slots[i].runes
		l := max(n, m)
		k := maxDist(l, s)
		if abs(n-m) > k {
			continue
		}
		most := min(shared+rest, min(n, m)+2)
		dmin := max(abs(n-m), ceilDiv(l+2-most, 3))
		if dmin > k {
			continue
		}
		sc.cands = append(sc.cands, candidate{slot: i, bound: score(dmin, l), shared: shared})
	}
	sc.touched = sc.touched[:0]
	slices.SortFunc(sc.cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.bound, a.bound), cmp.Compare(b.shared, a.shared), cmp.Compare(a.slot, b.slot))
	})

	best, bestScore := -1, 0
	for _, c := range sc.cands {
		if best >= 0 && c.bound < bestScore {
			break // sorted: nothing left can reach the best score
		}
		sl := &p.slots[c.slot]
		need := s
		if best >= 0 {
			if c.bound == bestScore && !newer(sl, &p.slots[best]) {
				continue // at most a tie, and it would lose the tie
			}
			need = bestScore
		}
		sc.cand = appendRunes(sc.cand[:0], sl.key)
		l := max(n, len(sc.cand))
		k := maxDist(l, need)
		d := boundedDistance(q, sc.cand, k, &sc.row)
		if d > k {
			continue
		}
		if v := score(d, l); best < 0 || v > bestScore || (v == bestScore && newer(sl, &p.slots[best])) {
			best, bestScore = int(c.slot), v
		}
	}
	return best, bestScore
}

// scan is the fallback for pairs without an index and for thresholds the
// index cannot filter: every entry, with the length filter and a bounded
// distance that tightens as better matches are found.
func (p *pairIndex) scan(q []rune, s int, sc *scratch) (int, int) {
	n := len(q)
	best, bestScore := -1, 0
	for i := range p.slots {
		sl := &p.slots[i]
		need := s
		if best >= 0 {
			need = bestScore
		}
		l := max(n, sl.runes)
		k := maxDist(l, need)
		if abs(n-sl.runes) > k {
			continue
		}
		sc.cand = appendRunes(sc.cand[:0], sl.key)
		d := boundedDistance(q, sc.cand, k, &sc.row)
		if d > k {
			continue
		}
		if v := score(d, l); best < 0 || v > bestScore || (v == bestScore && newer(sl, &p.slots[best])) {
			best, bestScore = i, v
		}
	}
	return best, bestScore
}

// linearLookup is the naive baseline: the exact match, else the full
// Levenshtein distance to every entry of the pair. Tests check Lookup
// against it; the benchmark compares with it.
func linearLookup(m *Memory, sourceLocale, targetLocale, text string, minScore int) (Match, bool) {
	key := normalize(text)
	if key == "" {
		return Match{}, false
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	p := m.pairs[pairKey{canonicalOrAsIs(sourceLocale), canonicalOrAsIs(targetLocale)}]
	if p == nil {
		return Match{}, false
	}
	q := []rune(key)
	var buf []rune
	best, bestScore := -1, 0
	for i := range p.slots {
		sl := &p.slots[i]
		if sl.key == key {
			return Match{Entry: sl.entry, Score: 100, Exact: true}, true
		}
		buf = appendRunes(buf[:0], sl.key)
		v := score(levenshtein(q, buf), max(len(q), len(buf)))
		if v >= minScore && v < 100 && (best < 0 || v > bestScore || (v == bestScore && newer(sl, &p.slots[best]))) {
			best, bestScore = i, v
		}
	}
	if best < 0 {
		return Match{}, false
	}
	return Match{Entry: p.slots[best].entry, Score: bestScore}, true
}

// appendGrams appends the trigrams of the text padded with two sentinel
// code points (0) on each side: len(r)+2 of them. Three 21-bit code points
// pack into one uint64.
func appendGrams(dst []uint64, r []rune) []uint64 {
	at := func(i int) uint64 {
		if i < 0 || i >= len(r) {
			return 0
		}
		return uint64(r[i]) & (1<<21 - 1)
	}
	for i := -2; i < len(r); i++ {
		dst = append(dst, at(i)<<42|at(i+1)<<21|at(i+2))
	}
	return dst
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}
