package tm

import "math/bits"

// A postingList holds one trigram's postings in one length bucket, each a
// packed (member, position).
//
// A lookup only counts postings within a few positions of where the query
// has the trigram (see shiftWindow), so a long list (a common trigram such
// as " th" or "ion") is kept sorted by position band, bandWidth positions
// each, with the offset of every band: a lookup reads just the bands its
// windows overlap, about 40% of the list in the benchmark, as one
// contiguous run of memory. (Separate slices per band cost a third more
// time: the reads are bound by memory, and scattered short slices defeat
// the hardware's prefetching.)
//
// Sorting on every add would be quadratic, so postings added since the
// last sort wait in tail, in order of member, and are read whole; a list
// is re-sorted at the end of the Add call that made its tail long
// (settle). A posting is copied a bounded number of times on average
// (about 1/tailShare times, as each sort grows the list by that share).
type postingList struct {
	sorted []uint32 // by band, each band in order of member; exactly sized
	start  []uint32 // band i is sorted[start[i]:start[i+1]]; nil while sorted is short (then in order of member)
	tail   []uint32 // added since, in order of member
}

const (
	bandShift = 3
	bandWidth = 1 << bandShift
	numBands  = (posUnknown >> bandShift) + 1
	// A list is re-sorted once its tail holds more than minTail postings
	// and more than 1/tailShare of the sorted part.
	minTail   = 64
	tailShare = 8
)

// bandFrom: shorter lists cost little to read whole and are not split,
// saving the band offsets. A variable so that tests can split the short
// lists of a small memory.
var bandFrom = 512

func (l *postingList) len() int { return len(l.sorted) + len(l.tail) }

// add appends v and reports whether the tail just became long enough to
// sort (once per sort, so the caller can note the list).
func (l *postingList) add(v uint32) bool {
	l.tail = append(l.tail, v)
	return len(l.tail) == max(minTail, len(l.sorted)/tailShare)+1
}

// settle merges the tail into the sorted part. Members only grow, so the
// tail's postings come after the sorted part's in every band, and each
// band stays in order of member.
func (l *postingList) settle() {
	if len(l.tail) == 0 {
		return
	}
	n := l.len()
	merged := make([]uint32, n)
	if n < bandFrom {
		copy(merged, l.sorted)
		copy(merged[len(l.sorted):], l.tail)
		l.sorted, l.start, l.tail = merged, nil, nil
		return
	}
	var at [numBands + 1]uint32
	count := func(vs []uint32) {
		for _, v := range vs {
			at[(v&posUnknown)>>bandShift+1]++
		}
	}
	count(l.sorted)
	count(l.tail)
	start := make([]uint32, numBands+1)
	for i := 1; i <= numBands; i++ {
		at[i] += at[i-1]
		start[i] = at[i]
	}
	place := func(vs []uint32) {
		for _, v := range vs {
			b := (v & posUnknown) >> bandShift
			merged[at[b]] = v
			at[b]++
		}
	}
	place(l.sorted) // band by band (or in order of member): stable
	place(l.tail)
	l.sorted, l.start, l.tail = merged, start, nil
}

// count adds, for each posting in the bands set in mask (all postings
// when the list is not banded), win at its position to its member's
// count.
func count[C uint16 | uint32](l *postingList, mask uint64, win *[posUnknown + 1]uint32, counts []C) {
	if l.start == nil {
		countRun(l.sorted, win, counts)
	} else {
		for mask != 0 {
			lo := bits.TrailingZeros64(mask)
			hi := lo + bits.TrailingZeros64(^(mask >> lo)) // the run of bands [lo, hi)
			countRun(l.sorted[l.start[lo]:l.start[hi]], win, counts)
			mask &^= 1<<hi - 1
		}
	}
	countRun(l.tail, win, counts)
}

func countRun[C uint16 | uint32](vs []uint32, win *[posUnknown + 1]uint32, counts []C) {
	for _, v := range vs {
		counts[v>>posBits] += C(win[v&posUnknown])
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
