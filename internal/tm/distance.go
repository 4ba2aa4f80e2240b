package tm

// score is the similarity of two texts at edit distance d whose longer
// one has l code points: floor(100 × (l − d) / l).
func score(d, l int) int {
	if l == 0 {
		return 100
	}
	return 100 * (l - d) / l
}

// maxDist is the largest edit distance that still scores at least s when
// the longer text has l code points: score ≥ s ⇔ 100(l−d) ≥ s·l ⇔
// d ≤ l(100−s)/100.
func maxDist(l, s int) int {
	if s <= 0 {
		return l
	}
	return l * (100 - s) / 100
}

// levenshtein is the textbook dynamic programme, O(len(a)·len(b)). It is
// the reference the faster code is tested against. buf is reused between
// calls (nil is fine).
func levenshtein(a, b []rune, buf *[]int) int {
	if buf == nil {
		buf = new([]int)
	}
	if cap(*buf) < 2*(len(b)+1) {
		*buf = make([]int, 2*(len(b)+1))
	}
	prev, cur := (*buf)[:len(b)+1], (*buf)[len(b)+1:2*(len(b)+1)]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// boundedDistance returns the Levenshtein distance of a and b if it is at
// most k, and k+1 otherwise. Verifying candidates is most of a fuzzy
// lookup's work, and most candidates fail, so it computes as little of the
// table as it can: a cell (i, j) is only kept while its value plus the
// length difference of what remains, |(n−i)−(m−j)| (a lower bound on the
// rest of any path through it), is at most k. Other cells count as k+1,
// which cannot change a result ≤ k. Each row covers the live cells of the
// previous one and what they reach, so the band narrows as costs grow,
// and the function returns as soon as a row has no live cell. buf is
// reused between calls.
func boundedDistance(a, b []rune, k int, buf *[]int) int {
	if k < 0 {
		return k + 1
	}
	// A common prefix and suffix never change the distance.
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	n, m := len(a), len(b)
	if abs(n-m) > k {
		return k + 1
	}
	if n == 0 || m == 0 {
		return max(n, m) // ≤ k by the test above
	}
	big := k + 1
	if cap(*buf) < 2*(m+1) {
		*buf = make([]int, 2*(m+1))
	}
	prev, cur := (*buf)[:m+1], (*buf)[m+1:2*(m+1)]
	// Row 0: the cost of inserting b[:j]. [lo, hi] are the live columns.
	lo, hi := 0, 0
	for j := 0; j <= m; j++ {
		if j+abs(n-(m-j)) <= k {
			prev[j], hi = j, j
		} else {
			prev[j] = big
		}
	}
	for i := 1; i <= n; i++ {
		rest := n - i
		newLo, newHi := -1, -1
		if lo == 0 && i+abs(rest-m) <= k {
			cur[0], newLo, newHi = i, 0, 0
		} else {
			cur[0] = big
		}
		j0 := max(lo, 1)
		if j0 > 1 {
			cur[j0-1] = big // dead: the left neighbour of the first cell
		}
		ai := a[i-1]
		for j := j0; j <= m; j++ {
			v := big
			if j <= hi {
				v = prev[j] + 1
			}
			if j-1 <= hi { // and j−1 ≥ lo, as j ≥ lo+1 or j−1 = lo−1 is dead
				d := prev[j-1]
				if j-1 < lo {
					d = big
				}
				if ai != b[j-1] {
					d++
				}
				v = min(v, d)
			}
			v = min(v, cur[j-1]+1)
			if v+abs(rest-(m-j)) > k {
				v = big
				if j > hi {
					cur[j] = big
					break // nothing to the right can be reached any more
				}
			} else {
				if newLo < 0 {
					newLo = j
				}
				newHi = j
			}
			cur[j] = v
		}
		if newLo < 0 {
			return big
		}
		lo, hi = newLo, newHi
		prev, cur = cur, prev
	}
	if m < lo || m > hi {
		return big
	}
	return min(prev[m], big)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
