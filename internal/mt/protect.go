package mt

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pressroom/pressroom/internal/markup"
	"github.com/pressroom/pressroom/internal/report"
)

// Protection of inline markup and placeholders for real MT engines.
//
// Before a segment is sent, every protected span — what Pseudolocalize
// keeps byte for byte (placeholders, printf verbs, tags, entities, URLs,
// emails, numbers, code spans, link destinations), plus Markdown's own
// punctuation (emphasis runs, link brackets) and the characters engines use
// as marks ("*", "#", "@") — becomes an empty XML element <x id="N"/>. The
// text between is XML-escaped. Every engine here passes such elements
// through: Apertium's HTML deformatter turns them into "superblanks" that no
// pipeline stage may touch (verified against the real apertium-apy), DeepL
// with tag_handling=xml, LibreTranslate and Amazon Translate in HTML mode.
// After translation each element is replaced by its original span, and the
// segment fails (so the Router can try the next provider) if any element
// was lost, duplicated or mangled.

// protSpan is a protected byte range of a segment's text.
type protSpan struct {
	start, end int
	// structural spans are halves of a construct (an emphasis run, a link's
	// "[" and "](url)", an HTML start or end tag): their relative order must
	// survive translation or the markup breaks. Self-contained spans
	// (placeholders, URLs, numbers, code spans) may move with the words.
	structural bool
}

// protectedSpans returns the protected spans of text in order, adjacent
// ones merged.
func protectedSpans(text string, format report.Format) []protSpan {
	md := format != report.FormatText
	sc := markup.NewScanner(text, md)
	var spans []protSpan
	add := func(start, end int, structural bool) {
		if n := len(spans); n > 0 && spans[n-1].end == start {
			spans[n-1].end = end
			spans[n-1].structural = spans[n-1].structural || structural
			return
		}
		spans = append(spans, protSpan{start, end, structural})
	}
	for i := 0; i < len(text); {
		if end, kind := sc.Next(i); end > i {
			add(i, end, isStructural(kind, text[i:end]))
			i = end
			continue
		}
		c := text[i]
		switch {
		case md && (c == '*' || c == '_' || c == '~'):
			// A delimiter run: "**", "_", "~~". Intraword "_" (snake_case)
			// is protected too; it only costs a token.
			j := i
			for j < len(text) && text[j] == c {
				j++
			}
			add(i, j, true)
			i = j
			continue
		case md && c == '!' && strings.HasPrefix(text[i:], "!["):
			add(i, i+2, true)
			i += 2
			continue
		case md && (c == '[' || c == ']'):
			add(i, i+1, true)
			i++
			continue
		case c == '*' || c == '#' || c == '@':
			// Apertium marks unknown words with "*", "#" and "@". With every
			// such character of the source inside a token, any the engine
			// emits are marks and can be stripped safely.
			add(i, i+1, false)
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return spans
}

// isStructural reports whether a protected span is half of a construct:
// a link destination or reference label, or an HTML tag (not a comment,
// and not an autolink, which is whole).
func isStructural(kind markup.Kind, s string) bool {
	switch kind {
	case markup.LinkDest, markup.RefLabel:
		return true
	case markup.Tag:
		return !strings.HasPrefix(s, "<!--")
	}
	return false
}

// masked is a segment ready to send: text with tokens, and what they stand for.
type masked struct {
	text       string   // XML-escaped text with <x id="N"/> tokens
	spans      []string // spans[N-1] is what token N stands for
	structural []bool   // structural[N-1]: token N must keep its order
	letters    bool     // whether any text outside the tokens has a letter
}

func token(id int) string { return `<x id="` + strconv.Itoa(id) + `"/>` }

// xmlEscaper escapes only what an XML or HTML parser would read as markup.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// mask replaces the protected spans of text with tokens.
func mask(text string, format report.Format) masked {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var m masked
	var b strings.Builder
	prev := 0
	plain := func(s string) {
		b.WriteString(xmlEscaper.Replace(s))
		if !m.letters && strings.IndexFunc(s, unicode.IsLetter) >= 0 {
			m.letters = true
		}
	}
	for _, sp := range protectedSpans(text, format) {
		plain(text[prev:sp.start])
		m.spans = append(m.spans, text[sp.start:sp.end])
		m.structural = append(m.structural, sp.structural)
		b.WriteString(token(len(m.spans)))
		prev = sp.end
	}
	plain(text[prev:])
	m.text = b.String()
	return m
}

// reToken matches a token as engines return it: ours exactly, or with the
// quoting, spacing or closing that an XML/HTML serializer may choose.
var reToken = regexp.MustCompile(`(?i)<x\s+id\s*=\s*["']?(\d{1,6})["']?\s*/?\s*>(?:\s*</x\s*>)?`)

// reMangled finds what is left of a token that reToken did not recognise.
var reMangled = regexp.MustCompile(`(?i)</?x\b|\bid\s*=\s*["']\d`)

// unmask restores the spans in out, an engine's translation of m.text.
// unescape says whether the engine returns XML-escaped text (all but
// LibreTranslate, which unescapes its own output). It fails if any token is
// lost, duplicated, unknown or mangled, or if structural tokens changed
// order.
func (m masked) unmask(out string, unescape bool) (string, error) {
	var b strings.Builder
	seen := make([]int, len(m.spans))
	var problems []string
	var order []int // structural token ids as they appear
	prev := 0
	text := func(s string) {
		if reMangled.MatchString(s) {
			problems = append(problems, fmt.Sprintf("mangled token in %q", clip(s, 60)))
		}
		if unescape {
			s = html.UnescapeString(s)
		}
		b.WriteString(s)
	}
	for _, loc := range reToken.FindAllStringSubmatchIndex(out, -1) {
		text(out[prev:loc[0]])
		prev = loc[1]
		id, _ := strconv.Atoi(out[loc[2]:loc[3]])
		if id < 1 || id > len(m.spans) {
			problems = append(problems, fmt.Sprintf("unknown token %d", id))
			continue
		}
		seen[id-1]++
		if m.structural[id-1] {
			order = append(order, id)
		}
		b.WriteString(m.spans[id-1])
	}
	text(out[prev:])
	for i, n := range seen {
		switch {
		case n == 0:
			problems = append(problems, fmt.Sprintf("%q lost", m.spans[i]))
		case n > 1:
			problems = append(problems, fmt.Sprintf("%q duplicated", m.spans[i]))
		}
	}
	for k := 1; k < len(order); k++ {
		if order[k] < order[k-1] {
			problems = append(problems, fmt.Sprintf("markup %q moved before %q", m.spans[order[k]-1], m.spans[order[k-1]-1]))
			break
		}
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("protected text did not survive translation: %s", strings.Join(problems, "; "))
	}
	return b.String(), nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// reUnknownMark finds Apertium's marks before a word: "*" unknown word,
// "#" generation error, "@" untranslated lemma. APy removes "*" with
// markUnknown=no; the others slip through.
var reUnknownMark = regexp.MustCompile(`[*#@]+([\pL\pN])`)

// stripMarks removes engine marks from a masked translation. Safe only
// because mask turned every "*", "#" and "@" of the source into a token.
func stripMarks(s string) string {
	if !strings.ContainsAny(s, "*#@") {
		return s
	}
	return reUnknownMark.ReplaceAllString(s, "$1")
}

// piece is one part of a masked text cut to fit a request; sep is the
// whitespace that followed it in the source.
type piece struct{ text, sep string }

// splitText cuts masked text s into pieces of at most limit, as measured by
// size (additive: size(a+b) == size(a)+size(b)). It cuts after a sentence
// end if it can, else at whitespace, else between characters, but never
// inside a token or an entity. A single token longer than limit is kept
// whole (tokens are a few bytes; limits are thousands).
func splitText(s string, limit int, size func(string) int) []piece {
	if limit <= 0 || size(s) <= limit {
		return []piece{{text: s}}
	}
	var out []piece
	start := 0
	for start < len(s) {
		acc := 0
		// Best cut points so far: [cut, resume) is the separator.
		sentCut, sentNext := -1, -1
		spaceCut, spaceNext := -1, -1
		hardCut := -1
		inTag, inEntity, prevSpace := false, false, false
		i := start
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			w := size(s[i : i+n])
			if acc+w > limit && (sentCut > start || spaceCut > start || hardCut > start) {
				break
			}
			acc += w
			space := false
			switch {
			case inTag:
				inTag = r != '>'
			case inEntity:
				inEntity = r != ';'
			case r == '<':
				inTag = true
			case r == '&':
				inEntity = true
			case unicode.IsSpace(r):
				space = true
				if prevSpace || i == start {
					break // a run is a cut point once, at its first character
				}
				j := i
				for j < len(s) {
					r2, n2 := utf8.DecodeRuneInString(s[j:])
					if !unicode.IsSpace(r2) {
						break
					}
					j += n2
				}
				spaceCut, spaceNext = i, j
				if endsSentence(s[start:i]) || strings.Contains(s[i:j], "\n") {
					sentCut, sentNext = i, j
				}
			case r == '。' || r == '！' || r == '？':
				// CJK sentence ends need no space after them.
				sentCut, sentNext = i+n, i+n
			}
			prevSpace = space
			i += n
			if !inTag && !inEntity && i < len(s) {
				hardCut = i
			}
		}
		if i >= len(s) {
			out = append(out, piece{text: s[start:]})
			break
		}
		cut, next := hardCut, hardCut
		switch {
		case sentCut > start:
			cut, next = sentCut, sentNext
		case spaceCut > start:
			cut, next = spaceCut, spaceNext
		}
		out = append(out, piece{text: s[start:cut], sep: s[cut:next]})
		start = next
	}
	return out
}

// endsSentence reports whether s ends with sentence-final punctuation,
// possibly followed by closing quotes, brackets or a token.
func endsSentence(s string) bool {
	for len(s) > 0 {
		if strings.HasSuffix(s, "/>") {
			// Step over a token: "done.<x id="3"/> Next" still ends a sentence.
			if k := strings.LastIndexByte(s, '<'); k >= 0 {
				s = s[:k]
				continue
			}
		}
		r, n := utf8.DecodeLastRuneInString(s)
		switch r {
		case '.', '!', '?', '…', '؟', '۔', '।':
			return true
		case '"', '\'', ')', ']', '»', '”', '’':
			s = s[:len(s)-n]
			continue
		}
		return false
	}
	return false
}

// Size measures for splitText and batching.
func byteLen(s string) int { return len(s) }

// runeLen counts code points, as Python's len() does (APy, LibreTranslate).
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// jsonLen is the length of s as a JSON string body (without the quotes)
// written by an encoder with HTML escaping off.
func jsonLen(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '\t':
			n += 2
		case r < 0x20 || r == '\u2028' || r == '\u2029' || r == utf8.RuneError:
			n += 6
		default:
			n += utf8.RuneLen(r)
		}
	}
	return n
}
