package xliff

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// codeKind says what an inline code stands for; it only picks the XLIFF
// type/subType hint that CAT tools show (variable, formatting, link).
type codeKind int

const (
	codeVar  codeKind = iota // {{.Name}}, %s, %[1]d
	codeTag                  // <b>, </a>, <br/>, <!-- -->
	codeLink                 // ](https://…) and <https://…> autolinks
)

// piece is a run of segment text: either translatable text or an inline
// code that must reach the target byte for byte.
type piece struct {
	text string
	code bool
	kind codeKind
}

// Bounds on the scans below. Without them a text full of unclosed "{{",
// "<" or "](" would take quadratic time; real codes are far shorter.
const (
	maxTemplate = 256
	maxToken    = 2048
	maxLinkDest = 2048
)

var (
	// An HTML open, close or self-closing tag (matched against text that
	// ends at the first ">", so a ">" inside a quoted value ends it early;
	// the tag is then text, which is safe), and CommonMark autolinks:
	// <scheme:…> and <user@host>.
	reTag      = regexp.MustCompile(`^</?[A-Za-z][A-Za-z0-9-]*(?:\s(?:[^<>"']|"[^"<>]*"|'[^'<>]*')*)?/?>$`)
	reAutolink = regexp.MustCompile(`^<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)>$`)
)

// window returns at most the first limit bytes of s, cut at a rune start:
// Go's regexp engine costs time in proportion to its input even for an
// anchored pattern that fails at once.
func window(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	for limit > 0 && !utf8.RuneStart(s[limit]) {
		limit--
	}
	return s[:limit]
}

// split cuts segment text into translatable text and inline codes:
// {{…}} template actions, printf verbs, HTML tags and comments, autolinks
// and Markdown link destinations "](url "title")". Joining the pieces'
// text always gives s back, so export → import is lossless whatever the
// scanner decides; its decisions only choose what a translator can edit.
//
// Markdown emphasis (*x*, **x**, _x_) and the "[" that opens a link stay
// text: pairing them needs a full CommonMark parser, a mis-paired <pc>
// would be worse than a visible asterisk, and translators must be able to
// move emphasis with the words it wraps. Code spans stay text as well.
func split(s string) []piece {
	var out []piece
	start := 0 // start of the pending text run
	urlEnd := -1
	sc := scanner{s: s, lastClose: strings.LastIndex(s, "}}"), nextGT: -1, nextComment: -1}
	for i := 0; i < len(s); {
		end, kind := i, codeVar
		switch c := s[i]; {
		case c == '{':
			end = templateEnd(s, i, sc.lastClose)
		case i < urlEnd:
			// Inside a bare URL (only templates count there, so that URL
			// escapes such as %20b are not taken for printf verbs).
		case c == '%':
			end = printfEnd(s, i)
		case c == '<':
			end, kind = sc.tagEnd(i)
		case c == ']':
			end, kind = linkDestEnd(s, i), codeLink
		case (c|0x20 == 'h' || c|0x20 == 'f' || c|0x20 == 'w') && (i == 0 || !isWordByte(s[i-1])):
			urlEnd = urlAt(s, i)
		}
		if end > i {
			if start < i {
				out = append(out, piece{text: s[start:i]})
			}
			out = append(out, piece{text: s[i:end], code: true, kind: kind})
			i, start = end, end
			continue
		}
		i++
	}
	if start < len(s) {
		out = append(out, piece{text: s[start:]})
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// templateEnd returns the end of a "{{…}}" action starting at i, or i.
// lastClose (the last "}}" in s) lets a "{{" with no close anywhere after
// it fail at once.
func templateEnd(s string, i, lastClose int) int {
	if !strings.HasPrefix(s[i:], "{{") || i+2 > lastClose {
		return i
	}
	body := window(s[i+2:], maxTemplate)
	j := strings.Index(body, "}}")
	if j < 0 || strings.Contains(body[:j], "{{") || strings.ContainsAny(body[:j], "\r\n") {
		return i
	}
	return i + 2 + j + 2
}

// printfEnd returns the end of a Go fmt verb at i ("%s", "%[1]d",
// "%-8.2f", "%*d"), or i. Only fmt's verb letters count, and the space
// flag is left out on purpose: with it, "100% done" would read as "% d".
// "%%" is text: it prints a percent sign.
func printfEnd(s string, i int) int {
	j := i + 1
	argIndex := func() { // [n]
		if j < len(s) && s[j] == '[' {
			k := j + 1
			for k < len(s) && k-j <= 3 && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			if k > j+1 && k < len(s) && s[k] == ']' {
				j = k + 1
			}
		}
	}
	number := func() { // * or up to five digits
		if j < len(s) && s[j] == '*' {
			j++
			return
		}
		for n := 0; n < 5 && j < len(s) && s[j] >= '0' && s[j] <= '9'; n++ {
			j++
		}
	}
	argIndex()
	for n := 0; n < 4 && j < len(s) && strings.IndexByte("+-#0", s[j]) >= 0; n++ {
		j++
	}
	argIndex()
	number()
	if j < len(s) && s[j] == '.' {
		j++
		argIndex()
		number()
	}
	argIndex()
	if j < len(s) && strings.IndexByte("vTtbcdoOqxXUeEfFgGsp", s[j]) >= 0 {
		return j + 1
	}
	return i
}

// scanner caches where the next ">" and "-->" are, so that a text full of
// "<" costs linear time: each regexp only ever sees one candidate tag.
type scanner struct {
	s           string
	lastClose   int // last "}}"
	nextGT      int // first ">" at or after the last query; len(s) if none
	nextComment int // first "-->" at or after the last query; len(s) if none
}

// after returns the first index of sub at or after i, reusing *cache when
// it is still ahead of i.
func (sc *scanner) after(cache *int, i int, sub string) int {
	if *cache < i {
		if j := strings.Index(sc.s[i:], sub); j >= 0 {
			*cache = i + j
		} else {
			*cache = len(sc.s)
		}
	}
	return *cache
}

// tagEnd returns the end of an HTML tag, comment or autolink at i, or i.
func (sc *scanner) tagEnd(i int) (int, codeKind) {
	s := sc.s
	if strings.HasPrefix(s[i:], "<!--") {
		if j := sc.after(&sc.nextComment, i+4, "-->"); j < len(s) && j-i <= maxToken {
			return j + 3, codeTag
		}
		return i, codeTag
	}
	gt := sc.after(&sc.nextGT, i+1, ">")
	if gt >= len(s) || gt-i > maxToken || strings.IndexByte(s[i+1:gt], '<') >= 0 {
		return i, codeTag
	}
	cand := s[i : gt+1]
	if reAutolink.MatchString(cand) {
		return gt + 1, codeLink
	}
	if reTag.MatchString(cand) {
		return gt + 1, codeTag
	}
	return i, codeTag
}

// urlAt returns the end of a bare URL (http://, https://, ftp://, www.)
// starting at i, or -1: up to white space, "<", ">" or a backtick.
func urlAt(s string, i int) int {
	rest := s[i:]
	hasPrefix := func(p string) bool { return len(rest) >= len(p) && strings.EqualFold(rest[:len(p)], p) }
	if !hasPrefix("http://") && !hasPrefix("https://") && !hasPrefix("ftp://") && !hasPrefix("www.") {
		return -1
	}
	end := strings.IndexAny(rest, " \t\r\n<>`")
	if end < 0 {
		return len(s)
	}
	return i + end
}

// linkDestEnd returns the end of a Markdown inline link destination
// "](dest)", "](<dest>)" or "](dest "title")" starting at i, or i.
func linkDestEnd(s string, i int) int {
	if !strings.HasPrefix(s[i:], "](") {
		return i
	}
	limit := min(len(s), i+maxLinkDest)
	j := i + 2
	if j < limit && s[j] == '<' {
		k := strings.IndexAny(s[j+1:limit], "<>\n]")
		if k < 0 || s[j+1+k] != '>' {
			return i
		}
		j += 1 + k + 1
	} else {
		depth := 0
	dest:
		for ; j < limit; j++ {
			switch s[j] {
			case '\\':
				j++
			case '(':
				depth++
			case ')':
				if depth == 0 {
					return j + 1
				}
				depth--
			case ' ', '\t', '\n':
				break dest
			case ']':
				// Another "](" starts inside: give up here, so that text
				// full of "](" costs linear time, not quadratic.
				if strings.HasPrefix(s[j:], "](") {
					return i
				}
			}
		}
	}
	// Optional title after whitespace, then ")".
	for j < limit && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
		j++
	}
	if j < limit && (s[j] == '"' || s[j] == '\'' || s[j] == '(') {
		closer := s[j]
		if closer == '(' {
			closer = ')'
		}
		for j++; j < limit && s[j] != closer; j++ {
			if s[j] == '\\' {
				j++
			} else if strings.HasPrefix(s[j:], "](") {
				return i // as above
			}
		}
		if j >= limit {
			return i
		}
		j++
		for j < limit && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
	}
	if j < limit && s[j] == ')' {
		return j + 1
	}
	return i
}

// codes returns the inline codes of s, in order.
func codes(s string) []string {
	var out []string
	for _, p := range split(s) {
		if p.code {
			out = append(out, p.text)
		}
	}
	return out
}

// diffCodes compares the codes of a target with those of its source as
// multisets (a translation may reorder them) and returns what the target
// lacks and what it has in excess.
func diffCodes(source, target string) (missing, extra []string) {
	count := map[string]int{}
	for _, c := range codes(source) {
		count[c]++
	}
	for _, c := range codes(target) {
		if count[c] > 0 {
			count[c]--
		} else {
			extra = append(extra, c)
		}
	}
	for _, c := range codes(source) {
		if count[c] > 0 {
			count[c]--
			missing = append(missing, c)
		}
	}
	return missing, extra
}
