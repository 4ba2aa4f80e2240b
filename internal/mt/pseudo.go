package mt

import (
	"context"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pressroom/pressroom/internal/report"
)

// Pseudo is the pseudo-localization provider: it needs no service and
// supports every language pair. Its output shows at a glance which strings
// went through translation (accented letters), whether layouts survive
// longer text (padding) and whether text gets truncated or concatenated
// (brackets), while every placeholder, URL, number and markup token stays
// byte for byte intact.
type Pseudo struct{}

// Name implements Provider.
func (Pseudo) Name() string { return "pseudo" }

// Translate implements Provider.
func (Pseudo) Translate(ctx context.Context, req Request) ([]Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]Result, len(req.Segments))
	for i, s := range req.Segments {
		out[i] = Result{ID: s.ID, Text: Pseudolocalize(s.Text, req.Format), Provenance: "mt:pseudo"}
	}
	return out, nil
}

const (
	// The brackets are not ASCII "[" "]" so they can never form Markdown
	// link syntax. The spaces inside them make the text's first and last
	// characters see whitespace, exactly as at the start and end of a line,
	// so emphasis flanking and GFM autolink rules decide as before.
	pseudoOpen  = "⟦ "
	pseudoClose = " ⟧"
	// pseudoPad is appended (after a space) to lengthen the text. It is a
	// middle dot, not "~" (GFM strikethrough) or "*"/"_" (emphasis).
	pseudoPad = "·"
)

// pseudoLetters maps each ASCII letter to one accented look-alike letter.
// Letter for letter: word lengths and character classes (letter, not
// punctuation or space) are unchanged, so Markdown parses the same way.
var pseudoLetters = map[rune]rune{
	'a': 'á', 'b': 'ƀ', 'c': 'ç', 'd': 'ð', 'e': 'é', 'f': 'ƒ', 'g': 'ĝ', 'h': 'ĥ', 'i': 'í',
	'j': 'ĵ', 'k': 'ķ', 'l': 'ļ', 'm': 'ɱ', 'n': 'ñ', 'o': 'ö', 'p': 'þ', 'q': 'ǫ', 'r': 'ŕ',
	's': 'š', 't': 'ţ', 'u': 'ü', 'v': 'ṽ', 'w': 'ŵ', 'x': 'ẋ', 'y': 'ý', 'z': 'ž',
	'A': 'Å', 'B': 'Ɓ', 'C': 'Ç', 'D': 'Ð', 'E': 'É', 'F': 'Ƒ', 'G': 'Ĝ', 'H': 'Ĥ', 'I': 'Î',
	'J': 'Ĵ', 'K': 'Ķ', 'L': 'Ļ', 'M': 'Ṁ', 'N': 'Ñ', 'O': 'Ö', 'P': 'Þ', 'Q': 'Ǫ', 'R': 'Ŕ',
	'S': 'Š', 'T': 'Ţ', 'U': 'Û', 'V': 'Ṽ', 'W': 'Ŵ', 'X': 'Ẋ', 'Y': 'Ý', 'Z': 'Ž',
}

// Protected tokens, each matched at the current position. Only ASCII
// letters are ever rewritten, so these only need to cover spans that
// contain letters which must not change; erring on the side of protecting
// a little too much is harmless. Every pattern either consumes what it
// scans or stops at a bounded or cached point, so long inputs stay
// near-linear (the fuzz test found quadratic cases in a naive version).
var (
	reBrace  = regexp.MustCompile(`^\{[A-Za-z_][A-Za-z0-9_.]{0,63}\}`) // {count} (ICU-style simple argument)
	rePrintf = regexp.MustCompile(`^%(?:\[\d{1,3}\])?[+\-#0]{0,4}(?:\[\d{1,3}\])?(?:\*|\d{1,5})?(?:\.(?:\[\d{1,3}\])?(?:\*|\d{1,5})?)?(?:\[\d{1,3}\])?[A-Za-z%]`)
	// HTML tags (quoted attribute values may hold "<" or ">") and comments;
	// reAutolink: <http://...> and <a@b.c> autolinks (no spaces, any quotes).
	reAutolink = regexp.MustCompile(`^<[^\s<>]+>`)
	reTag      = regexp.MustCompile(`^<[^\s<>](?:[^<>"']|"[^"]*"|'[^']*')*>`)
	reEntity   = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
	// A bare URL, generously (any scheme-ish http/https/ftp/www start, up to
	// whitespace, "<" or a backtick, which may open a code span)...
	reURL = regexp.MustCompile("^(?i:https?://|ftp://|www\\.)[^\\s<`]+")
	// ...or as goldmark's GFM linkify sees it (patterns from goldmark
	// v1.8.7 extension/linkify.go), which may run through backticks.
	reGFMURL = regexp.MustCompile(`^(?:(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?|www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+)(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=\(\);,'">\^{}\[\]` + "`" + `]*)?`)
	reDomain = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+`)
	reNumber = regexp.MustCompile(`^[0-9]+(?:[.,][0-9]+)*`)
	// ][label] of a reference link; CommonMark caps labels at 999 characters.
	reRefLabel = regexp.MustCompile(`^\]\[[^\]]{0,999}\]`)
)

// maxLinkDest bounds the scan for the end of an inline link destination,
// and maxToken the length of a tag or bare URL (URLs beyond ~2000 bytes are
// not usable in browsers anyway). Without bounds, text full of unclosed
// "](" would take quadratic time.
const (
	maxLinkDest = 2048
	maxToken    = 2048
)

// window returns at most the first limit bytes of s, cut at a rune start.
// Regexps only ever see a window: Go's backtracking matcher costs time in
// proportion to its input, even for an anchored pattern that fails at once.
func window(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	for limit > 0 && !utf8.RuneStart(s[limit]) {
		limit--
	}
	return s[:limit]
}

// Pseudolocalize returns the pseudo-localized form of text (blank text is
// returned as is). It is deterministic and always returns valid UTF-8
// (invalid input bytes become U+FFFD). format decides only whether Markdown syntax (backslash escapes,
// code spans, link destinations) is recognised; placeholders, printf verbs,
// tags, entities, URLs, emails and numbers are protected in both formats.
func Pseudolocalize(text string, format report.Format) string {
	if strings.TrimSpace(text) == "" {
		return text
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	sc := scanner{s: text, markdown: format != report.FormatText}

	var b strings.Builder
	b.Grow(len(text)*2 + 32)
	b.WriteString(pseudoOpen)
	for i := 0; i < len(text); {
		if end := sc.protectedEnd(i); end > i {
			b.WriteString(text[i:end])
			i = end
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if p, ok := pseudoLetters[r]; ok {
			b.WriteRune(p)
		} else {
			b.WriteString(text[i : i+size])
		}
		i += size
	}

	// Lengthen to about 135% of the input: real translations of English
	// commonly run 30-40% longer. At least one pad so short strings grow too.
	n := utf8.RuneCountInString(text)
	extra := (n*35 + 99) / 100
	pad := extra - utf8.RuneCountInString(pseudoOpen+" "+pseudoClose)
	if pad < 1 {
		pad = 1
	}
	b.WriteString(" ")
	b.WriteString(strings.Repeat(pseudoPad, pad))
	b.WriteString(pseudoClose)
	return b.String()
}

// scanner finds protected tokens in s. Its caches record searches that
// failed: a closing delimiter absent after position p is absent after any
// later position too.
type scanner struct {
	s             string
	markdown      bool
	noTemplateEnd bool         // no "}}" after the last unclosed "{{"
	noCodeClose   map[int]bool // backtick run lengths with no closing run
}

// protectedEnd returns the end of a protected token starting at s[i], or i
// if none starts there.
func (sc *scanner) protectedEnd(i int) int {
	s := sc.s
	rest := s[i:]
	match := func(re *regexp.Regexp, limit int) int { return i + len(re.FindString(window(rest, limit))) }
	switch c := rest[0]; {
	case c == '\\' && sc.markdown:
		// A backslash escape (CommonMark: any ASCII punctuation): the escaped
		// character starts nothing, no code span, tag or link destination.
		// Except "{" and "%": "\{{.X}}" and "\%s" still hold a placeholder
		// for whoever fills it in before or after rendering.
		if len(rest) > 1 && rest[1] != '{' && rest[1] != '%' && isASCIIPunct(rest[1]) {
			return i + 2
		}
	case c == '`' && sc.markdown:
		return i + sc.codeSpanLen(rest)
	case c == '{':
		// {{.Name}}, {{ call .X }}: everything up to the next "}}".
		if strings.HasPrefix(rest, "{{") && !sc.noTemplateEnd {
			if j := strings.Index(rest[2:], "}}"); j >= 0 {
				return i + 2 + j + 2
			}
			sc.noTemplateEnd = true
		}
		return match(reBrace, 80)
	case c == '%':
		return match(rePrintf, 64)
	case c == '<':
		return max(match(reTag, maxToken), match(reAutolink, maxToken))
	case c == '&':
		return match(reEntity, 40)
	case c == ']' && sc.markdown:
		if strings.HasPrefix(rest, "](") {
			n := linkDestLen(rest)
			if n == 0 {
				// Unclosed or unbalanced: still keep the destination-like
				// word right after "](" (goldmark is lenient here).
				w := window(rest[2:], maxLinkDest)
				if k := strings.IndexFunc(w, func(r rune) bool { return r == ')' || unicode.IsSpace(r) }); k >= 0 {
					w = w[:k]
				}
				n = 2 + len(w)
			}
			// Without a matching "[" this is no link, and GFM may autolink
			// a URL inside that runs past the ")".
			return i + max(n, 2+urlLen(rest[2:]))
		}
		if n := len(reRefLabel.FindString(window(rest, 1010))); n > 0 {
			// "][x](y)": if "[x]" opens an inline link, keep "(y)" too.
			if strings.HasPrefix(rest[n:], "(") {
				if d := linkDestLen(rest[n-1:]); d > 0 {
					n += d - 1
				}
			}
			return i + n
		}
	}
	if end := sc.urlOrEmailEnd(i); end > i {
		return end
	}
	if c := rest[0]; c >= '0' && c <= '9' {
		return match(reNumber, 256)
	}
	return i
}

// urlOrEmailEnd returns the end of a bare URL or email address at s[i].
func (sc *scanner) urlOrEmailEnd(i int) int {
	s := sc.s
	rest := s[i:]
	switch rest[0] {
	case 'h', 'H', 'f', 'F', 'w', 'W':
		if n := urlLen(rest); n > 0 {
			return i + n
		}
	}
	// An email: up to 64 local-part bytes (the RFC limit, and goldmark's),
	// "@", a domain. Tried wherever a local-part byte is, so a start just
	// after another token is not missed; the cap keeps this linear. A start
	// inside a longer run only protects a little more than needed.
	j := i
	if len(rest) > 7 && strings.EqualFold(rest[:7], "mailto:") {
		j += 7
	}
	k := j
	for k < len(s) && k-j <= 64 && isLocalPart(s[k]) {
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

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// urlLen returns the length of the bare URL at the start of s, or 0.
func urlLen(s string) int {
	w := window(s, maxToken)
	return max(len(reURL.FindString(w)), len(reGFMURL.FindString(w)))
}

// isLocalPart reports whether c may appear in an email's local part (RFC
// 5322 atext plus '.', as goldmark's linkify accepts).
func isLocalPart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0
}

// codeSpanLen returns the length of the code span starting at s (a run of
// n backticks, up to the next run of exactly n), or of the backtick run
// alone when it is not closed (CommonMark: then it is literal text).
func (sc *scanner) codeSpanLen(s string) int {
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	if sc.noCodeClose[n] {
		return n
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
			return k
		}
		j = k
	}
	if sc.noCodeClose == nil {
		sc.noCodeClose = map[int]bool{}
	}
	sc.noCodeClose[n] = true
	return n
}

// linkDestLen returns the length of "](destination "title")" at the start of
// s, balancing parentheses and honouring backslash escapes and <...>
// destinations, or 0 if it is not closed within maxLinkDest bytes.
func linkDestLen(s string) int {
	depth := 1
	inAngle := false
	for j := 2; j < len(s) && j < maxLinkDest; j++ {
		switch s[j] {
		case '\\':
			j++
		case '\n':
			if inAngle {
				return 0
			}
		case '<':
			if j == 2 {
				inAngle = true
			}
		case '>':
			inAngle = false
		case '(':
			if !inAngle {
				depth++
			}
		case ')':
			if !inAngle {
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
	}
	return 0
}
