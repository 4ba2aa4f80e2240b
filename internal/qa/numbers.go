package qa

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// number is a number as written and its value in a form that does not
// depend on the locale: ASCII digits, no grouping, "." before decimals.
// "1,000", "1 000", "1.000", "١٬٠٠٠" and "1 000" are all "1000";
// "3.5", "3,5" and "٣٫٥" are all "3.5".
type number struct {
	written string
	value   string
}

// Separators that may appear between digit groups. Spaces (ordinary,
// no-break, narrow no-break, thin) and apostrophes only ever group;
// "." and "," group or mark decimals; U+066B is the Arabic decimal
// separator and U+066C the Arabic thousands separator.
const (
	arabicDecimal   = '\u066B'
	arabicThousands = '\u066C'
)

func isGroupOnly(r rune) bool {
	switch r {
	case ' ', '\u00A0', '\u202F', '\u2009', '\'', '\u2019', arabicThousands:
		return true
	}
	return false
}

func isSeparator(r rune) bool {
	return r == '.' || r == ',' || r == arabicDecimal || isGroupOnly(r)
}

// findNumbers returns the numbers of a text, in any script's decimal
// digits (Arabic-Indic ٠-٩, Extended Arabic-Indic ۰-۹, Devanagari,
// full-width...).
func findNumbers(s string) []number {
	var out []number
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			i += size
			continue
		}
		// Digit groups joined by single separators. A space-like separator
		// only joins a group of exactly three digits ("10 000"), so that
		// "in 2026 3 meetings" stays apart.
		var groups []group
		var seps []rune
		for {
			g := group{start: i}
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !unicode.IsDigit(r) {
					break
				}
				g.digits += string(rune('0' + digitValue(r)))
				i += size
			}
			g.end = i
			groups = append(groups, g)
			r, size := utf8.DecodeRuneInString(s[i:])
			if i >= len(s) || !isSeparator(r) {
				break
			}
			if n := digitsAt(s[i+size:]); n == 0 || isGroupOnly(r) && n != 3 {
				break
			}
			seps = append(seps, r)
			i += size
		}
		out = append(out, readNumber(s, groups, seps)...)
	}
	return out
}

// group is a run of digits: where it is written, and its ASCII digits.
type group struct {
	start, end int
	digits     string
}

// digitsAt counts the decimal digits at the start of s.
func digitsAt(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsDigit(r) {
			break
		}
		n++
	}
	return n
}

// readNumber interprets digit groups: the last separator is a decimal
// mark when it can be one and either is followed by other than three
// digits, differs from the separators before it, or follows a lone 0
// ("0.125"); the other separators must then group properly (first group
// of 1-3 digits, then groups of 3, or 2 in Indian grouping: "1,00,000").
// Otherwise the token is several numbers: split at spaces first ("1,000
// 250" in a table), then at every separator ("12.5.2026" is a date,
// "1,2,3" a list).
func readNumber(s string, groups []group, seps []rune) []number {
	written := s[groups[0].start:groups[len(groups)-1].end]
	if len(seps) == 0 {
		return []number{{written, trimZeros(groups[0].digits)}}
	}
	intGroups, intSeps, frac := groups, seps, ""
	last := seps[len(seps)-1]
	if last == '.' || last == ',' || last == arabicDecimal {
		lastGroup := groups[len(groups)-1].digits
		differs := len(seps) > 1 && seps[len(seps)-2] != last
		if last == arabicDecimal || len(lastGroup) != 3 || differs || (len(seps) == 1 && groups[0].digits == "0") {
			intGroups, intSeps, frac = groups[:len(groups)-1], seps[:len(seps)-1], lastGroup
		}
	}
	if groupedWell(intGroups, intSeps) {
		var v strings.Builder
		for _, g := range intGroups {
			v.WriteString(g.digits)
		}
		value := trimZeros(v.String())
		if frac != "" {
			value += "." + frac
		}
		return []number{{written, value}}
	}
	var out []number
	from := 0
	for i, sep := range seps {
		if isGroupOnly(sep) {
			out = append(out, readNumber(s, groups[from:i+1], seps[from:i])...)
			from = i + 1
		}
	}
	if from > 0 {
		return append(out, readNumber(s, groups[from:], seps[from:])...)
	}
	for _, g := range groups {
		out = append(out, number{s[g.start:g.end], trimZeros(g.digits)})
	}
	return out
}

func groupedWell(groups []group, seps []rune) bool {
	if len(groups) == 1 {
		return true
	}
	if len(groups[0].digits) > 3 {
		return false
	}
	for i, g := range groups[1:] {
		if seps[i] != seps[0] {
			return false
		}
		if n := len(g.digits); n != 3 && !(n == 2 && i < len(groups)-2) {
			return false
		}
	}
	return true
}

func trimZeros(digits string) string {
	if t := strings.TrimLeft(digits, "0"); t != "" {
		return t
	}
	return "0"
}

// digitValue returns the value of a decimal digit of any script. Unicode
// guarantees decimal digits come in contiguous runs of ten from 0 to 9
// (some runs adjoin, as the mathematical digits do), so the value is the
// distance from the start of the run, modulo ten.
func digitValue(r rune) int {
	start := r
	for start > 0 && unicode.IsDigit(start-1) && r-start < 100 {
		start--
	}
	return int(r-start) % 10
}

// numbers reports each source number the target lacks, saying what the
// target has instead.
func (c *checker) numbers(src, tgt []number) {
	have := map[string]bool{}
	for _, n := range tgt {
		have[n.value] = true
	}
	need := map[string]bool{}
	for _, n := range src {
		need[n.value] = true
	}
	var others []string
	for _, n := range tgt {
		if !need[n.value] {
			others = append(others, n.written)
		}
	}
	reported := map[string]bool{}
	for _, n := range src {
		if have[n.value] || reported[n.value] {
			continue
		}
		reported[n.value] = true
		instead := ""
		if len(others) > 0 {
			instead = fmt.Sprintf(" (it has %s instead)", strings.Join(others, ", "))
		}
		c.add(CheckNumbers, Error, "number %s is missing from the target%s; any digits and grouping will do (1,000 = 1 000 = ١٬٠٠٠)", n.written, instead)
	}
}
