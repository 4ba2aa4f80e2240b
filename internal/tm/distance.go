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
// the reference the faster code is tested against.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
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
// most k, and k+1 otherwise. It only fills the diagonal band |i−j| ≤ k of
// the table (cells outside cannot be on a path of cost ≤ k) and stops as
// soon as no cell of a row can still lead to a result ≤ k, which is what
// makes verifying candidates cheap: most of them fail within a few rows.
// buf is reused between calls.
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
	for j := range prev {
		prev[j] = min(j, big)
	}
	for i := 1; i <= n; i++ {
		lo, hi := max(1, i-k), min(m, i+k)
		if lo == 1 {
			cur[0] = min(i, big)
		} else {
			cur[lo-1] = big
		}
		// The best any path through this row can still reach: a cell's
		// value plus the length difference of what remains.
		rowBest := big
		if lo == 1 {
			rowBest = cur[0] + abs((n-i)-m)
		}
		ai := a[i-1]
		for j := lo; j <= hi; j++ {
			v := prev[j-1]
			if ai != b[j-1] {
				v++
			}
			v = min(v, prev[j]+1, cur[j-1]+1, big)
			cur[j] = v
			rowBest = min(rowBest, v+abs((n-i)-(m-j)))
		}
		if hi < m {
			cur[hi+1] = big // the next row reads it as outside the band
		}
		if rowBest > k {
			return big
		}
		prev, cur = cur, prev
	}
	return min(prev[m], big)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
