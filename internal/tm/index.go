package tm

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// The fuzzy index is an inverted index of positional character trigrams.
// Each text is padded with two sentinels on both sides, so a text of n
// code points has n+2 trigrams, and one edit (insertion, deletion or
// substitution) changes at most 3 of them and shifts the others by at most
// one position. Two texts at edit distance d, the longer of length L,
// therefore share at least L+2−3d trigrams at positions at most d apart
// (the q-gram lemma, positional form). For a minimum score s the distance
// is at most k = maxDist(L, s), so a match must share T = L+2−3k trigrams
// within ±k positions — in fact within a narrower window of shifts that
// also accounts for the edits the rest of the texts need (shiftWindow).
//
// A lookup:
//
//  1. length filter: only entries whose length allows the score can match
//     (|n−m| ≤ k); postings are grouped by entry length, so other lengths
//     are not even read;
//  2. count filter: reads the posting lists of the query's trigrams,
//     counting per entry the trigrams shared at an allowed shift (the
//     window of all lengths in the entry's length bucket), and drops
//     entries below their T. This is what removes almost every entry (all
//     but a few hundred of 100,000 in the benchmark): sentences on the same
//     subject share many trigrams (" th", "ion", "ent"), but rarely at the
//     same places. Long lists are sorted by position band, so only the
//     bands the windows overlap are read (postingList). The query's most
//     common trigrams (up to T/6 occurrences, such as " th" or the final
//     "." with its padding) are not read at all but counted as shared by
//     every entry, which loosens the filter a little and saves the
//     longest lists;
//  3. verification: what remains is ordered by the best score its count
//     allows and checked with a banded, early-exit Levenshtein distance,
//     until no remaining bound can beat (or tie) the best score found.
//
// Every filter only drops entries that cannot reach the score, so the
// result is exactly that of a linear scan. When minScore is so low that
// T ≤ 0 (texts sharing no trigram could still qualify: below about 67)
// the pair is scanned linearly instead.

// Postings pack a slot index and the trigram's position in the padded
// text into one uint32: 24 bits of index, 8 bits of position (saturated:
// posUnknown means "at 255 or later").
const (
	posBits    = 8
	posUnknown = 1<<posBits - 1
	maxSlots   = 1 << (32 - posBits)
)

// maxIndexedQuery: longer texts (whole pages pasted as one paragraph)
// are rare and are matched by a scan; the bound also keeps the uint32
// counts far from overflowing.
const maxIndexedQuery = 4096

// skipDivisor: up to T/skipDivisor occurrences of the most common query
// trigrams are assumed shared instead of read (see fuzzy).
const skipDivisor = 6

// slot is one entry of a pair with what matching needs.
type slot struct {
	entry Entry
	key   string // normalized source text
	runes int    // code points in key
	seq   uint64 // when it was added (breaks ties of Time)
}

// pairIndex holds the entries of one language pair.
type pairIndex struct {
	slots   []slot
	lengths []int32          // slots[i].runes, compact for the filters' sweep
	exact   map[string]int32 // normalized source → slot
	indexed bool
	// postings: trigram → length bucket → the members that have it (a
	// member is an entry's index among its bucket's members, so a lookup
	// counts one bucket at a time in a small array) and where: see
	// postingList.
	postings map[uint64][]postingList
	members  [][]uint32 // length bucket → its slots, in order added
	// unsettled: lists whose tail is long enough to sort at the end of Add.
	unsettled []listRef
	gramBuf   []uint64 // Add runs under the write lock
	runeBuf   []rune
}

func newPairIndex(indexed bool) *pairIndex {
	p := &pairIndex{exact: map[string]int32{}, indexed: indexed}
	if indexed {
		p.postings = map[uint64][]postingList{}
	}
	return p
}

// lengthBucket groups entry lengths: by 16 code points up to 255, then by
// powers of two, so a few long texts do not create long bucket lists.
func lengthBucket(n int) int {
	if n < 256 {
		return n / 16
	}
	return 16 + bits.Len(uint(n)) - 9
}

// bucketMaxLen is the longest length in a bucket.
func bucketMaxLen(b int) int {
	if b < 16 {
		return 16*b + 15
	}
	return 1<<(b-16+9) - 1
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
	p.lengths = append(p.lengths, int32(len(p.runeBuf)))
	p.exact[key] = int32(i)
	if !p.indexed {
		return
	}
	b := lengthBucket(len(p.runeBuf))
	if len(p.members) <= b {
		p.members = append(p.members, make([][]uint32, b+1-len(p.members))...)
	}
	member := len(p.members[b])
	p.members[b] = append(p.members[b], uint32(i))
	p.gramBuf = appendGrams(p.gramBuf[:0], p.runeBuf)
	for pos, g := range p.gramBuf {
		lists := p.postings[g]
		if len(lists) <= b {
			lists = append(lists, make([]postingList, b+1-len(lists))...)
			p.postings[g] = lists
		}
		if lists[b].add(uint32(member)<<posBits | uint32(min(pos, posUnknown))) {
			p.unsettled = append(p.unsettled, listRef{g, b})
		}
	}
}

// listRef names one posting list: a trigram's in one length bucket.
type listRef struct {
	gram   uint64
	bucket int
}

// settle sorts the posting lists whose tails grew long (see postingList);
// Add calls it once it has added a batch.
func (p *pairIndex) settle() {
	for _, r := range p.unsettled {
		p.postings[r.gram][r.bucket].settle()
	}
	p.unsettled = p.unsettled[:0]
}

// scratch is per-lookup working memory, pooled so concurrent lookups do
// not allocate.
type scratch struct {
	counts   []uint32 // per member of a bucket: trigrams shared with the query; all 0 between lookups
	counts16 []uint16 // the same when every count fits 16 bits
	query    []rune
	cand     []rune
	gramBuf  []uint64
	grams    []posGram
	distinct []distinctGram
	cands    []candidate
	sorted   []candidate // cands by bound (byBound)
	sortAll  bool        // benchmarks: order all candidates fully instead
	need     []uint32    // minimum count per entry length
	win      [posUnknown + 1]uint32
	row      []int
}

type distinctGram struct {
	occ   []posGram     // its positions in the query
	lists []postingList // its postings by length bucket; nil when skipped
	cost  int           // postings in the length window
}

type posGram struct {
	gram uint64
	pos  int
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
	if !p.indexed || s <= 0 || n > maxIndexedQuery {
		return p.scan(q, s, sc)
	}
	// The window of lengths that can reach s (shorter entries: L = n;
	// longer ones: L = m), and the smallest T in it.
	lo := n - maxDist(n, s)
	hi := n
	tmin := n + 2 - 3*maxDist(n, s)
	for l := n + 1; l-n <= maxDist(l, s); l++ {
		hi = l
		tmin = min(tmin, l+2-3*maxDist(l, s))
	}
	if tmin <= 0 {
		return p.scan(q, s, sc)
	}
	bLo, bHi := lengthBucket(lo), lengthBucket(hi)

	// Count filter: trigrams shared within ±k positions, per entry. An
	// entry's count may exceed the true number (a trigram repeated nearby
	// counts twice) but never falls short of it, so nothing that can match
	// is dropped.
	sc.grams = sc.grams[:0]
	sc.gramBuf = appendGrams(sc.gramBuf[:0], q)
	for pos, g := range sc.gramBuf {
		sc.grams = append(sc.grams, posGram{g, pos})
	}
	slices.SortFunc(sc.grams, func(a, b posGram) int {
		return cmp.Or(cmp.Compare(a.gram, b.gram), cmp.Compare(a.pos, b.pos))
	})
	// Each distinct trigram's lists are read once, for all the positions
	// it has in the query.
	sc.distinct = sc.distinct[:0]
	for j := 0; j < len(sc.grams); {
		g, e := sc.grams[j].gram, j+1
		for e < len(sc.grams) && sc.grams[e].gram == g {
			e++
		}
		d := distinctGram{occ: sc.grams[j:e], lists: p.postings[g]}
		for b := bLo; b <= bHi && b < len(d.lists); b++ {
			d.cost += d.lists[b].len()
		}
		j = e
		if d.cost > 0 {
			sc.distinct = append(sc.distinct, d)
		}
	}
	// The few most common trigrams (" th", the final ".") are in nearly
	// every entry of the window: instead of reading their lists, every
	// entry is assumed to share them, which loosens the count filter by
	// at most skipMax (a small part of T) and saves the longest reads.
	slices.SortFunc(sc.distinct, func(a, b distinctGram) int { return cmp.Compare(b.cost, a.cost) })
	skipped, skipMax := 0, tmin/skipDivisor
	for i := range sc.distinct {
		d := &sc.distinct[i]
		if skipped+len(d.occ) > skipMax {
			break
		}
		skipped += len(d.occ)
		d.lists = nil
	}
	// Length and count filters; what passes is ordered by its bound. The
	// minimum count is tabulated by entry length (lengths outside the
	// window need more than any count).
	sc.need = sc.need[:0]
	for m := 0; m <= hi; m++ {
		l := max(n, m)
		k := maxDist(l, s)
		need := uint32(math.MaxUint32)
		if m >= lo && abs(n-m) <= k {
			need = uint32(max(1, l+2-3*k-skipped)) // ≥ 1: skipped < tmin
		}
		sc.need = append(sc.need, need)
	}
	sc.need = append(sc.need, math.MaxUint32) // longer than hi
	sc.cands = sc.cands[:0]
	// One length bucket at a time: its counts fit in a cache. win[at]:
	// how many of a trigram's query positions an entry position at is at
	// an allowed shift from (at = posUnknown: anywhere from there on; the
	// shifts are within ±w, w being the largest distance allowed for the
	// window's lengths). A table makes the inner loop branch-free.
	// Counts fit 16 bits when the largest possible one does: every
	// trigram of the longest entry in the window, each within ±w of at
	// most 2w+1 query positions — or, at posUnknown, of every query
	// position from posUnknown−w on (a long repetitive text); a band's
	// weight is one of its positions'. Entries longer than the window,
	// whose counts may wrap, are dropped by length whatever their count.
	// Half the bytes: a bucket's counts stay in the fastest cache.
	wMax := maxDist(hi, s)
	perPosition := max(2*wMax+1, n+2-posUnknown+wMax+1)
	small := (hi+2)*perPosition <= math.MaxUint16
	for b := bLo; b <= bHi && b < len(p.members); b++ {
		if len(p.members[b]) == 0 {
			continue
		}
		if small {
			if cap(sc.counts16) < len(p.members[b]) {
				sc.counts16 = make([]uint16, len(p.members[b]))
			}
			countBucket(p, sc, sc.counts16[:len(p.members[b])], b, n, s, lo, hi, skipped)
		} else {
			if cap(sc.counts) < len(p.members[b]) {
				sc.counts = make([]uint32, len(p.members[b]))
			}
			countBucket(p, sc, sc.counts[:len(p.members[b])], b, n, s, lo, hi, skipped)
		}
	}
	cands := sc.byBound()

	best, bestScore := -1, 0
	for i, c := range cands {
		if best >= 0 && c.bound < bestScore {
			break // sorted: nothing left can reach the best score
		}
		if i == 0 || c.bound != cands[i-1].bound {
			// Within one bound, the most shared trigrams first: a high
			// score found early prunes the rest. Only the groups the
			// loop reaches are ordered.
			end := i + 1
			for end < len(cands) && cands[end].bound == c.bound {
				end++
			}
			slices.SortFunc(cands[i:end], func(a, b candidate) int {
				return cmp.Or(cmp.Compare(b.shared, a.shared), cmp.Compare(a.slot, b.slot))
			})
			c = cands[i]
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

// byBound orders the candidates by bound, highest first, in linear time:
// a bound is a score, 0 to 100. Near-duplicate memories (boilerplate
// paragraphs) pass thousands of candidates, of which the lookup verifies
// the few with the highest bounds, so a full sort was most of its time.
func (sc *scratch) byBound() []candidate {
	if sc.sortAll {
		slices.SortFunc(sc.cands, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(b.bound, a.bound), cmp.Compare(b.shared, a.shared), cmp.Compare(a.slot, b.slot))
		})
		return sc.cands
	}
	var count [101]int
	for _, c := range sc.cands {
		if c.bound < 0 || c.bound > 100 {
			slices.SortFunc(sc.cands, func(a, b candidate) int { return cmp.Compare(b.bound, a.bound) })
			return sc.cands
		}
		count[100-c.bound]++
	}
	at := 0
	for i, n := range count {
		count[i] = at
		at += n
	}
	sc.sorted = slices.Grow(sc.sorted[:0], len(sc.cands))[:len(sc.cands)]
	for _, c := range sc.cands {
		sc.sorted[count[100-c.bound]] = c
		count[100-c.bound]++
	}
	return sc.sorted
}

// countBucket counts, for each member of length bucket b, the query
// trigrams it shares at a shift the bucket's lengths allow (the count
// filter; see shiftWindow), and adds the members that pass to sc.cands.
// counts are all 0 before and after.
func countBucket[C uint16 | uint32](p *pairIndex, sc *scratch, counts []C, b, n, s, lo, hi, skipped int) {
	members := p.members[b]
	sLo, sHi := shiftWindow(n, s, max(lo, bucketMinLen(b)), min(hi, bucketMaxLen(b)))
	if sLo > sHi {
		return // no length of the bucket can reach s
	}
	for _, d := range sc.distinct {
		if b >= len(d.lists) || d.lists[b].len() == 0 {
			continue
		}
		from, to := posUnknown+1, -1 // the part of win this trigram sets
		var bands uint64             // the bands of positions it sets
		for _, o := range d.occ {
			a, z := max(0, o.pos+sLo), min(posUnknown-1, o.pos+sHi)
			if o.pos+sHi >= posUnknown { // entries' positions from 255 on are all 255
				sc.win[posUnknown]++
				a, z = min(a, posUnknown), posUnknown
			}
			if a > z {
				continue
			}
			for at := a; at <= min(z, posUnknown-1); at++ {
				sc.win[at]++
			}
			from, to = min(from, a), max(to, z)
			bands |= (1<<(z>>bandShift+1) - 1) &^ (1<<(a>>bandShift) - 1)
		}
		if from > to {
			continue
		}
		count(&d.lists[b], bands, &sc.win, counts)
		clear(sc.win[from : to+1])
	}
	// Most entries fall short of the bucket's smallest minimum count: they
	// are dropped without reading their length.
	floor := uint32(math.MaxUint32)
	for m := max(lo, bucketMinLen(b)); m <= min(hi, bucketMaxLen(b)); m++ {
		floor = min(floor, sc.need[m])
	}
	for li, c := range counts {
		if uint32(c) < floor { // ≥ 1: entries sharing nothing are dropped here too
			continue
		}
		i := members[li]
		m := int(p.lengths[i])
		if uint32(c) < sc.need[min(m, hi+1)] {
			continue
		}
		l := max(n, m)
		shared := min(int(c)+skipped, min(n, m)+2)
		dmin := max(abs(n-m), ceilDiv(l+2-shared, 3))
		sc.cands = append(sc.cands, candidate{slot: i, bound: score(dmin, l), shared: shared})
	}
	clear(counts)
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
	p := m.pair(sourceLocale, targetLocale)
	if p == nil {
		return Match{}, false
	}
	q := []rune(key)
	long := !fuzzyLength(key)
	var buf []rune
	var row []int
	best, bestScore := -1, 0
	for i := range p.slots {
		sl := &p.slots[i]
		if sl.key == key {
			return Match{Entry: sl.entry, Score: 100, Exact: true}, true
		}
		if long {
			continue // exact matches only (see MaxFuzzyLength)
		}
		buf = appendRunes(buf[:0], sl.key)
		v := score(levenshtein(q, buf, &row), max(len(q), len(buf)))
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
