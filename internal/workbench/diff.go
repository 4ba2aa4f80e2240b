package workbench

import "strings"

// diffPart is a run of words of a suggestion's source compared with the
// segment's source: Op is "=" (same), "-" (only in the memory's source)
// or "+" (only in this segment's source).
type diffPart struct {
	Op, Text string
}

// maxDiffWords bounds the quadratic table; longer texts are shown whole.
const maxDiffWords = 400

// wordDiff is a longest-common-subsequence diff by words, so a translator
// sees what differs between the sentence the memory translated and this
// one.
func wordDiff(from, to string) []diffPart {
	if from == "" {
		return nil
	}
	a, b := strings.Fields(from), strings.Fields(to)
	if len(a) > maxDiffWords || len(b) > maxDiffWords {
		return []diffPart{{"-", from}, {"+", to}}
	}
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffPart
	add := func(op, w string) {
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += " " + w
			return
		}
		out = append(out, diffPart{op, w})
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			add("=", a[i])
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			add("-", a[i])
			i++
		default:
			add("+", b[j])
			j++
		}
	}
	for ; i < len(a); i++ {
		add("-", a[i])
	}
	for ; j < len(b); j++ {
		add("+", b[j])
	}
	return out
}
