package mt

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/pressroom/pressroom/internal/markup"
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
	sc := markup.NewScanner(text, format != report.FormatText)

	var b strings.Builder
	b.Grow(len(text)*2 + 32)
	b.WriteString(pseudoOpen)
	for i := 0; i < len(text); {
		if end, _ := sc.Next(i); end > i {
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
