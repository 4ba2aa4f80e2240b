package tm

import "math/bits"

// A postingList holds one trigram's postings in one length bucket: which
// members of the bucket have the trigram, and where.
//
// A lookup only counts postings within a few positions of where the query
// has the trigram (see shiftWindow), so a long list (a common trigram such
// as " th" or "ion") is kept sorted by position band, bandWidth positions
// each, with the offset of every band: a lookup reads just the bands its
// windows overlap, about 40% of the list in the benchmark, as one
// contiguous run of memory. (Separate slices per band cost a third more
// time: the reads are bound by memory, and scattered short slices defeat
// the hardware's prefetching.) A banded posting keeps only its member —
// 16 bits while the bucket has fewer than 65,536 members, half the bytes
// to read — and counts as shared by as many query occurrences as the
// most any position of its band has (a bound: bandWidth−1 positions of
// slack at the window's edges).
//
// Sorting on every add would be quadratic, so postings added since the
// last sort wait in tail, in order of member, and are read whole; a list
// is re-sorted at the end of the Add call that made its tail long
// (settle). A posting is copied a bounded number of times on average
// (about 1/tailShare times, as each sort grows the list by that share).
type postingList struct {
	// Before the list is banded: packed (member, position) in order of
	// member. Once banded (start ≠ nil): members, by band, each band in
	// order of member, unless they are in m16.
	sorted []uint32
	m16    []uint16 // the banded members while they all fit 16 bits
	start  []uint32 // band i is [start[i], start[i+1]) of m16 or sorted
	tail   []uint32 // packed, added since the last sort, in order of member
}

const (
	bandShift = 2
	bandWidth = 1 << bandShift
	numBands  = (posUnknown >> bandShift) + 1 // 64: a band set is a uint64
	// A list is re-sorted once its tail holds more than minTail postings
	// and more than 1/tailShare of the sorted part.
	minTail   = 64
	tailShare = 8
)

// bandFrom: shorter lists cost little to read whole and are not split,
// saving the band offsets. A variable so that tests can split the short
// lists of a small memory.
var bandFrom = 512

func (l *postingList) len() int { return len(l.sorted) + len(l.m16) + len(l.tail) }

// add appends v (packed) and reports whether the tail just became long
// enough to sort (once per sort, so the caller can note the list).
func (l *postingList) add(v uint32) bool {
	l.tail = append(l.tail, v)
	return len(l.tail) == max(minTail, (len(l.sorted)+len(l.m16))/tailShare)+1
}

func bandOf(packed uint32) uint32 { return (packed & posUnknown) >> bandShift }

// settle merges the tail into the sorted part. Members only grow, so the
// tail's postings come after the sorted part's in every band, and each
// band stays in order of member.
func (l *postingList) settle() {
	if len(l.tail) == 0 {
		return
	}
	n := l.len()
	if l.start == nil && n < bandFrom {
		merged := make([]uint32, n)
		copy(merged, l.sorted)
		copy(merged[len(l.sorted):], l.tail)
		l.sorted, l.tail = merged, nil
		return
	}
	// Band sizes, then members placed band by band: first those already
	// sorted (banded, or packed in order of member), then the tail's.
	var at [numBands + 1]uint32
	if l.start != nil {
		for b := range numBands {
			at[b+1] = l.start[b+1] - l.start[b]
		}
	} else {
		for _, v := range l.sorted {
			at[bandOf(v)+1]++
		}
	}
	for _, v := range l.tail {
		at[bandOf(v)+1]++
	}
	start := make([]uint32, numBands+1)
	for b := 1; b <= numBands; b++ {
		at[b] += at[b-1]
		start[b] = at[b]
	}
	wide := l.tail[len(l.tail)-1]>>posBits >= 1<<16 // the largest member
	var m16 []uint16
	var m32 []uint32
	if wide {
		m32 = make([]uint32, n)
	} else {
		m16 = make([]uint16, n)
	}
	put := func(b, member uint32) {
		if wide {
			m32[at[b]] = member
		} else {
			m16[at[b]] = uint16(member)
		}
		at[b]++
	}
	switch {
	case l.start == nil:
		for _, v := range l.sorted {
			put(bandOf(v), v>>posBits)
		}
	case l.m16 != nil:
		for b := range uint32(numBands) {
			for _, member := range l.m16[l.start[b]:l.start[b+1]] {
				put(b, uint32(member))
			}
		}
	default:
		for b := range uint32(numBands) {
			for _, member := range l.sorted[l.start[b]:l.start[b+1]] {
				put(b, member)
			}
		}
	}
	for _, v := range l.tail {
		put(bandOf(v), v>>posBits)
	}
	l.sorted, l.m16, l.start, l.tail = m32, m16, start, nil
}

// count adds, for each posting, the number of query occurrences whose
// window holds its position (win, by position) to its member's count:
// in a banded list only the bands set in mask, each with the largest win
// of its positions.
func count[C uint16 | uint32](l *postingList, mask uint64, win *[posUnknown + 1]uint32, counts []C) {
	if l.start == nil {
		countPacked(l.sorted, win, counts)
	}
	for ; l.start != nil && mask != 0; mask &= mask - 1 {
		b := bits.TrailingZeros64(mask)
		w := win[b*bandWidth]
		for _, x := range win[b*bandWidth+1 : b*bandWidth+bandWidth] {
			w = max(w, x)
		}
		if l.m16 != nil {
			countMembers(l.m16[l.start[b]:l.start[b+1]], C(w), counts)
		} else {
			countMembers(l.sorted[l.start[b]:l.start[b+1]], C(w), counts)
		}
	}
	countPacked(l.tail, win, counts)
}

func countPacked[C uint16 | uint32](vs []uint32, win *[posUnknown + 1]uint32, counts []C) {
	for _, v := range vs {
		counts[v>>posBits] += C(win[v&posUnknown])
	}
}

func countMembers[M uint16 | uint32, C uint16 | uint32](members []M, w C, counts []C) {
	for _, m := range members {
		counts[m] += w
	}
}

// shiftWindow returns the range [lo, hi] of p − o over the positions o (in
// the query) and p (in an entry) at which a trigram can be shared by a
// query of n code points and an entry of a length in [mLo, mHi] that can
// score s. A trigram untouched by an optimal alignment's edits sits at
// p = o + shift; the edits before it are at least |shift| (the lengths of
// the two prefixes differ by that much) and those after it at least
// |δ − shift| (δ = m − n, the suffixes' difference), and together they are
// at most k = maxDist(max(n, m), s). So shift lies in
// [min(0, δ) − r, max(0, δ) + r] with r = (k − |δ|)/2: a window about half
// as wide as the ±k of the plain positional q-gram filter. lo > hi when
// no length in the range can score s.
func shiftWindow(n, s, mLo, mHi int) (lo, hi int) {
	lo, hi = 1<<30, -(1 << 30)
	for m := mLo; m <= mHi; m++ {
		k := maxDist(max(n, m), s)
		d := m - n
		if abs(d) > k {
			continue
		}
		r := (k - abs(d)) / 2
		lo, hi = min(lo, min(0, d)-r), max(hi, max(0, d)+r)
	}
	return lo, hi
}

// bucketMinLen is the shortest length in a bucket.
func bucketMinLen(b int) int {
	if b == 0 {
		return 0
	}
	return bucketMaxLen(b-1) + 1
}
