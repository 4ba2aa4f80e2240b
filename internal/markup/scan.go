package markup

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says what a protected span is.
type Kind int

const (
	None        Kind = iota
	Escape           // a Markdown backslash escape: \*
	CodeSpan         // `code`
	Placeholder      // {{.Name}} (Go template action) or {count} (ICU simple argument)
	Verb             // printf verb: %s, %[1]d, %-8.2f
	Percent          // %%: a literal percent sign in a printf format
	Tag              // HTML tag, comment, processing instruction or declaration
	Autolink         // <https://…>, <user@host>
	Entity           // &amp; &#233;
	LinkDest         // "](url "title")" of an inline link or image
	RefLabel         // "][label]" of a reference link
	URL              // a bare URL
	Email            // a bare e-mail address (with or without mailto:)
	Number           // 1,000.5
)

// Bounds on the scans. Without them a text full of unclosed "](" or "<"
// would take quadratic time; real spans are far shorter (URLs beyond ~2000
// bytes are not usable in browsers anyway).
const (
	MaxLinkDest = 2048
	MaxToken    = 2048
)

// One pattern per rule, each matched at the current position over a
// bounded window.
var (
	reBrace = regexp.MustCompile(`^\{[A-Za-z_][A-Za-z0-9_.]{0,63}\}`)
	// An HTML open, close or self-closing tag, processing instruction,
	// declaration or CDATA section as CommonMark (and so goldmark) reads
	// raw HTML — <a title="1>0"> is one tag — except that no span holds a
	// "<" after its first byte: so each pattern sees one candidate, up to
	// the next "<", and scanning stays linear.
	reTag = regexp.MustCompile(`^(?:</?[A-Za-z][A-Za-z0-9-]*(?:\s(?:[^<>"']|"[^"<]*"|'[^'<]*')*)?/?>|<\?[^<]*?\?>|<![A-Za-z][^<>]*>|<!\[CDATA\[[^<]*?\]\]>)`)
	// CommonMark autolinks: <scheme:…> and <user@host>.
	reAutolink = regexp.MustCompile(`^<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)>`)
	reEntity   = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
	// A bare URL: an http/https/ftp/www start, then printable ASCII up to
	// whitespace, "<", ">", a backtick (which may open a code span), "{"
	// or "}"...
	// URLs are ASCII as written in text (percent-encoded), which keeps CJK
	// text that follows without a space out of them; "{" and "}" are not
	// URL characters (RFC 3986): "www.un.org{{.X}}" is a URL and a
	// placeholder.
	reURL = regexp.MustCompile(`^(?i:https?://|ftp://|www\.)[!-;=?-_a-z|~]+`)
	// ...or as goldmark's GFM linkify sees it (patterns from goldmark
	// v1.8.7 extension/linkify.go), which may run through backticks.
	reGFMURL = regexp.MustCompile(`^(?:(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?|www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+)(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=\(\);,'">\^{}\[\]` + "`" + `]*)?`)
	reDomain = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+`)
	reNumber = regexp.MustCompile(`^[0-9]+(?:[.,][0-9]+)*`)
	// ][label] of a reference link; CommonMark caps labels at 999 characters.
	reRefLabel = regexp.MustCompile(`^\]\[[^\]]{0,999}\]`)
)

// window returns at most the first limit bytes of s, cut at a rune start.
// Regexps only ever see a window: Go's matcher costs time in proportion to
// its input, even for an anchored pattern that fails at once.
func window(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	for limit > 0 && !utf8.RuneStart(s[limit]) {
		limit--
	}
	return s[:limit]
}

// Scanner finds protected spans in one text. Its caches record searches
// that failed or found the next delimiter, so a text full of unclosed
// "{{", "`" or "<" costs linear time. Not safe for concurrent use.
type Scanner struct {
	s        string
	markdown bool
	// noTemplateEnd: no "}}" after the last unclosed "{{".
	noTemplateEnd bool
	// noCodeClose: backtick run lengths with no closing run further on.
	noCodeClose map[int]bool
	// nextLT, nextGT, nextComment: first "<" / ">" / "-->" at or after
	// the last query; len(s) when none.
	nextLT, nextGT, nextComment int
}

// NewScanner returns a Scanner of s; markdown says whether Markdown syntax
// (backslash escapes, code spans, link destinations) is recognised.
func NewScanner(s string, markdown bool) *Scanner {
	return &Scanner{s: s, markdown: markdown, nextLT: -1, nextGT: -1, nextComment: -1}
}

// Next returns the end and kind of the protected span starting at s[i]:
// every span whose bytes a translation must keep (placeholders, printf
// verbs including %%, tags, autolinks, entities, URLs, e-mail addresses,
// numbers and, in Markdown, escapes, code spans, link destinations and
// reference labels). It returns (i, None) when none starts there.
func (sc *Scanner) Next(i int) (int, Kind) {
	s := sc.s
	rest := s[i:]
	switch c := rest[0]; {
	case c == '\\' && sc.markdown:
		// A backslash escape (CommonMark: any ASCII punctuation): the escaped
		// character starts nothing, no code span, tag or link destination.
		// Except "{" and "%": "\{{.X}}" and "\%s" still hold a placeholder
		// for whoever fills it in before or after rendering.
		if len(rest) > 1 && rest[1] != '{' && rest[1] != '%' && IsASCIIPunct(rest[1]) {
			return i + 2, Escape
		}
	case c == '`' && sc.markdown:
		return sc.CodeSpanEnd(i), CodeSpan
	case c == '{':
		if end := sc.PlaceholderEnd(i); end > i {
			return end, Placeholder
		}
		return i, None
	case c == '%':
		switch end := VerbEnd(s, i); {
		case end == i:
			return i, None
		case end == i+2 && s[i+1] == '%':
			return end, Percent
		default:
			return end, Verb
		}
	case c == '<':
		if end, k := sc.TagEnd(i); end > i {
			return end, k
		}
		return i, None
	case c == '&':
		if n := len(reEntity.FindString(window(rest, 40))); n > 0 {
			return i + n, Entity
		}
		return i, None
	case c == ']' && sc.markdown:
		if strings.HasPrefix(rest, "](") {
			n := LinkDestLen(rest)
			if n == 0 {
				// Unclosed or unbalanced: still keep the destination-like
				// word right after "](" (goldmark is lenient here).
				w := window(rest[2:], MaxLinkDest)
				if k := strings.IndexFunc(w, func(r rune) bool { return r == ')' || unicode.IsSpace(r) }); k >= 0 {
					w = w[:k]
				}
				n = 2 + len(w)
			}
			// Without a matching "[" this is no link, and GFM may autolink
			// a URL inside that runs past the ")".
			return i + max(n, 2+URLLen(rest[2:])), LinkDest
		}
		if n := len(reRefLabel.FindString(window(rest, 1010))); n > 0 {
			// "][x](y)": if "[x]" opens an inline link, keep "(y)" too.
			if strings.HasPrefix(rest[n:], "(") {
				if d := LinkDestLen(rest[n-1:]); d > 0 {
					n += d - 1
				}
			}
			return i + n, RefLabel
		}
	}
	if URLStart(s, i) {
		if n := URLLen(rest); n > 0 {
			return i + n, URL
		}
	}
	if end := EmailEnd(s, i); end > i {
		return end, Email
	}
	if c := rest[0]; c >= '0' && c <= '9' {
		return i + len(reNumber.FindString(window(rest, 256))), Number
	}
	return i, None
}

// PlaceholderEnd returns the end of a placeholder at s[i] — a template
// action "{{…}}" up to the next "}}" (lines and all), or an ICU simple
// argument "{count}" — or i.
func (sc *Scanner) PlaceholderEnd(i int) int {
	rest := sc.s[i:]
	if strings.HasPrefix(rest, "{{") && !sc.noTemplateEnd {
		if j := strings.Index(rest[2:], "}}"); j >= 0 {
			return i + 2 + j + 2
		}
		sc.noTemplateEnd = true
	}
	if len(rest) < 3 || !(rest[1] == '_' || rest[1]|0x20 >= 'a' && rest[1]|0x20 <= 'z') {
		return i // what reBrace needs, checked before paying for a regexp
	}
	return i + len(reBrace.FindString(window(rest, 80)))
}

// VerbEnd returns the end of a Go fmt verb at s[i] ("%s", "%[1]d",
// "%-8.2f", "%*d") or of "%%", or i. Only fmt's verb letters count, and the
// space flag is left out on purpose: with it, "100% done" would read as
// "% d" and "50 % des voix" as a verb.
func VerbEnd(s string, i int) int {
	if !strings.HasPrefix(s[i:], "%") {
		return i
	}
	if strings.HasPrefix(s[i:], "%%") {
		return i + 2
	}
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

// after returns the first index of sub at or after i, reusing *cache when
// it is still ahead of i.
func (sc *Scanner) after(cache *int, i int, sub string) int {
	if *cache < i {
		if j := strings.Index(sc.s[i:], sub); j >= 0 {
			*cache = i + j
		} else {
			*cache = len(sc.s)
		}
	}
	return *cache
}

// TagEnd returns the end and kind (Tag or Autolink) of the HTML tag,
// comment, processing instruction, declaration or autolink at s[i], or
// (i, None).
func (sc *Scanner) TagEnd(i int) (int, Kind) {
	s := sc.s
	if !strings.HasPrefix(s[i:], "<") {
		return i, None
	}
	if strings.HasPrefix(s[i:], "<!--") {
		if j := sc.after(&sc.nextComment, i+4, "-->"); j < len(s) && j-i <= MaxToken {
			return j + 3, Tag
		}
		return i, None
	}
	// No rule below lets a span hold a second "<", and every one ends in
	// ">": without a ">" before the next "<" nothing starts here.
	lt := sc.after(&sc.nextLT, i+1, "<")
	if gt := sc.after(&sc.nextGT, i+1, ">"); gt > lt || gt >= len(s) || gt-i > MaxToken {
		return i, None
	}
	cand := window(s[i:lt], MaxToken)
	if n := len(reAutolink.FindString(cand)); n > 0 {
		return i + n, Autolink
	}
	if n := len(reTag.FindString(cand)); n > 0 {
		return i + n, Tag
	}
	return i, None
}

func hasURLPrefix(s string) bool {
	for _, p := range []string{"http://", "https://", "ftp://", "www."} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// URLStart reports whether a bare URL may start at s[i]: an h, f or w
// that does not continue a Latin word ("reportwww.un.org" holds no URL).
// Accented Latin letters count too, so a translation that accents the
// letters before a URL does not move where it starts; CJK and Arabic text
// write URLs right after a letter, so those do not.
func URLStart(s string, i int) bool {
	switch s[i] {
	case 'h', 'H', 'f', 'F', 'w', 'W':
	default:
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i == 0 || !(r == '_' || unicode.Is(unicode.Latin, r) || unicode.IsDigit(r))
}

// URLLen returns the length of the bare URL at the start of s, or 0.
//
// A URL ends before "{{", a backtick and "](", whatever GFM's linkify
// would take: a template action, code span or link destination that
// touches a URL stays one, for MT, the checks and XLIFF alike.
func URLLen(s string) int {
	if !hasURLPrefix(s) {
		return 0 // checked before paying for the regexps
	}
	w := window(s, MaxToken)
	n := max(len(reURL.FindString(w)), len(reGFMURL.FindString(w)))
	if k := strings.IndexAny(w[:n], "`"); k >= 0 {
		n = k
	}
	for _, stop := range []string{"{{", "]("} {
		if k := strings.Index(w[:n], stop); k >= 0 {
			n = k
		}
	}
	return n
}

// URLText returns the bare URL at the start of s as a reader sees it, or
// "": what URLLen finds, up to the first byte that is not an ASCII URL
// character (a URL is written percent-encoded, so CJK text that follows
// without a space is not part of it), without what ends a sentence rather
// than the URL — final punctuation, and a closing bracket without its
// opening one ("(see https://example.org)"). The quality checks compare
// these; protection keeps the wider URLLen span.
func URLText(s string) string {
	u := s[:URLLen(s)]
	if k := strings.IndexFunc(u, func(r rune) bool { return !isURLByte(r) }); k >= 0 {
		u = u[:k]
	}
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

// isURLByte reports whether r may appear in a URL as written in text:
// RFC 3986's unreserved, reserved and "%".
func isURLByte(r rune) bool {
	return r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("-._~:/?#[]@!$&'()*+,;=%", r))
}

// EmailEnd returns the end of a bare e-mail address (optionally after
// "mailto:") at s[i], or i: up to 64 local-part bytes (the RFC limit, and
// goldmark's), "@", a domain. Tried wherever a local-part byte is, so a
// start just after another span is not missed; the cap keeps this linear.
func EmailEnd(s string, i int) int {
	rest := s[i:]
	j := i
	if len(rest) > 7 && strings.EqualFold(rest[:7], "mailto:") {
		j += 7
	}
	k := j
	for k < len(s) && k-j <= 64 && IsLocalPart(s[k]) {
		k++
	}
	if k == j || k-j > 64 || k >= len(s) || s[k] != '@' {
		return i
	}
	if d := reDomain.FindString(window(s[k+1:], 255)); d != "" {
		return k + 1 + len(d)
	}
	return i
}

// IsASCIIPunct reports whether c is ASCII punctuation, which CommonMark
// lets a backslash escape.
func IsASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// IsLocalPart reports whether c may appear in an email's local part: RFC
// 5322 atext plus '.', as goldmark's linkify accepts, except "{", "}" and
// "%", so that "{{.Name}}info@un.org" and "%sinfo@un.org" keep their
// placeholder and verb.
func IsLocalPart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".!#$&'*+/=?^_`|~-", c) >= 0
}

// CodeSpanEnd returns the end of the code span starting at s[i] (a run of
// n backticks, up to the next run of exactly n), or of the backtick run
// alone when it is not closed (CommonMark: then it is literal text).
func (sc *Scanner) CodeSpanEnd(i int) int {
	s := sc.s[i:]
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	if sc.noCodeClose[n] {
		return i + n
	}
	for j := n; j < len(s); {
		if s[j] != '`' {
			j++
			continue
		}
		k := j
		for k < len(s) && s[k] == '`' {
			k++
		}
		if k-j == n {
			return i + k
		}
		j = k
	}
	if sc.noCodeClose == nil {
		sc.noCodeClose = map[int]bool{}
	}
	sc.noCodeClose[n] = true
	return i + n
}

// LinkDestLen returns the length of a Markdown inline link destination
// at the start of s — "](dest)", "](<dest>)" or "](dest "title")", with
// balanced parentheses and backslash escapes — or 0 if there is none
// within MaxLinkDest bytes. Another "](" inside ends the search, so text
// full of "](" costs linear time, not quadratic.
func LinkDestLen(s string) int {
	if !strings.HasPrefix(s, "](") {
		return 0
	}
	limit := min(len(s), MaxLinkDest)
	j := 2
	if j < limit && s[j] == '<' {
		k := strings.IndexAny(s[j+1:limit], "<>\n]")
		if k < 0 || s[j+1+k] != '>' {
			return 0
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
				if strings.HasPrefix(s[j:], "](") {
					return 0
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
				return 0
			}
		}
		if j >= limit {
			return 0
		}
		j++
		for j < limit && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
	}
	if j < limit && s[j] == ')' {
		return j + 1
	}
	return 0
}
