package qa

import (
	"regexp"
	"strings"
	"unicode"
)

// tokens are what one text contains, found in an order that keeps them
// apart: code spans first (in Markdown their content is code, not text),
// then URLs and e-mail addresses, then link destinations and HTML tags,
// then placeholders and printf verbs; each is blanked out before the next
// is looked for, so the digits of a URL or of %[1]s are not numbers and the
// %20 of a URL is not a verb. What remains (plain) holds the numbers and
// the letters.
type tokens struct {
	placeholders []string
	verbs        []string
	urls         []string
	emails       []string
	numbers      []number
	plain        string
}

var (
	placeholderRe = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	// Go and C printf verbs with flags, width, precision and argument
	// indexes. "%%" is a literal percent sign. A space is not taken as a
	// flag: "50 % des voix" is French, not "% d".
	verbRe = regexp.MustCompile(`%%|%(?:\[\d+\])?[+\-#0]*(?:\[\d+\])?(?:\*|\d+)?(?:\.(?:\[\d+\])?(?:\*|\d+)?)?(?:\[\d+\])?[vTtbcdoOqxXUeEfFgGsp]`)
	// URLs are ASCII as written in text (percent-encoded), which also keeps
	// CJK text that follows without a space out of them.
	urlRe   = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+`)
	emailRe = regexp.MustCompile(`\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	htmlRe  = regexp.MustCompile(`<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s(?:[^<>"']|"[^"]*"|'[^']*')*)?/?|!--[\s\S]*?--)>`)
)

func scan(s string, markdown bool) tokens {
	var t tokens
	m := []byte(s) // blanked progressively; byte offsets never move
	if markdown {
		for _, sp := range codeSpans(s) {
			blank(m, sp[0], sp[1])
		}
	}
	for _, loc := range urlRe.FindAllIndex(m, -1) {
		end := loc[0] + len(trimURL(string(m[loc[0]:loc[1]])))
		t.urls = append(t.urls, s[loc[0]:end])
		blank(m, loc[0], end)
	}
	for _, loc := range emailRe.FindAllIndex(m, -1) {
		end := loc[0] + len(strings.TrimRight(string(m[loc[0]:loc[1]]), ".-"))
		t.emails = append(t.emails, s[loc[0]:end])
		blank(m, loc[0], end)
	}
	if markdown {
		for _, sp := range linkDestinations(string(m)) {
			blank(m, sp[0], sp[1])
		}
		for _, loc := range htmlRe.FindAllIndex(m, -1) {
			blank(m, loc[0], loc[1])
		}
	}
	for _, loc := range placeholderRe.FindAllIndex(m, -1) {
		t.placeholders = append(t.placeholders, s[loc[0]:loc[1]])
		blank(m, loc[0], loc[1])
	}
	for _, loc := range verbRe.FindAllIndex(m, -1) {
		if v := s[loc[0]:loc[1]]; v != "%%" {
			t.verbs = append(t.verbs, v)
		}
		blank(m, loc[0], loc[1])
	}
	t.plain = string(m)
	t.numbers = findNumbers(t.plain)
	return t
}

func blank(b []byte, from, to int) {
	for i := from; i < to; i++ {
		b[i] = ' '
	}
}

// trimURL drops what ends a sentence rather than the URL: final
// punctuation, and a closing bracket without its opening one
// ("(see https://example.org)").
func trimURL(u string) string {
	for u != "" {
		last := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?'*", last) >= 0:
			u = u[:len(u)-1]
		case last == ')' && strings.Count(u, "(") < strings.Count(u, ")"),
			last == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
			u = u[:len(u)-1]
		default:
			return u
		}
	}
	return u
}

// codeSpans finds CommonMark code spans: a run of n backticks up to the
// next run of exactly n. An unmatched run is literal. Backslash escapes
// outside code spans are honoured (\` is not a delimiter).
func codeSpans(s string) [][2]int {
	var out [][2]int
	noCloser := map[int]bool{} // run lengths with no closing run further on
	runAt := func(i int) int {
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		return n
	}
	for i := 0; i < len(s); {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && isASCIIPunct(s[i+1]) {
				i += 2
				continue
			}
			i++
		case '`':
			n := runAt(i)
			closeAt := -1
			if !noCloser[n] {
				for j := i + n; j < len(s); {
					if s[j] != '`' {
						j++
						continue
					}
					m := runAt(j)
					if m == n {
						closeAt = j
						break
					}
					j += m
				}
			}
			if closeAt < 0 {
				noCloser[n] = true
				i += n
				continue
			}
			out = append(out, [2]int{i, closeAt + n})
			i = closeAt + n
		default:
			i++
		}
	}
	return out
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

// linkDestinations finds the destinations of inline links and images,
// "(...)" right after "]", with balanced parentheses or in <...>, on one
// line. Their spans include the parentheses.
func linkDestinations(s string) [][2]int {
	var out [][2]int
	for i := 0; i+1 < len(s); i++ {
		if s[i] != ']' || s[i+1] != '(' {
			continue
		}
		start, depth := i+1, 0
		for j := start; j < len(s) && j-start < 2048; j++ {
			c := s[j]
			if c == '\n' {
				break
			}
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
				if depth == 0 {
					out = append(out, [2]int{start, j + 1})
					i = j
					break
				}
			}
		}
	}
	return out
}

// hasLetters reports whether s has a letter: a text with none once URLs,
// placeholders and markup are blanked (a number, a URL) needs no
// translation.
func hasLetters(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
