package qa

import (
	"strings"
	"unicode"

	inline "github.com/pressroom/pressroom/internal/markup"
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

// scan finds the tokens of s with internal/markup's rules, which are MT's
// and XLIFF's too.
func scan(s string, markdown bool) tokens {
	var t tokens
	m := []byte(s) // blanked progressively; byte offsets never move
	// each calls f at every position of the text as blanked so far, with a
	// scanner of that text; f returns where to go on.
	each := func(f func(sc *inline.Scanner, b string, i int) int) {
		b := string(m)
		sc := inline.NewScanner(b, markdown)
		for i := 0; i < len(b); {
			i = max(f(sc, b, i), i+1)
		}
	}
	if markdown {
		each(func(sc *inline.Scanner, b string, i int) int {
			switch b[i] {
			case '\\':
				// \` is not a delimiter.
				if i+1 < len(b) && inline.IsASCIIPunct(b[i+1]) {
					return i + 2
				}
			case '`':
				run := len(b[i:]) - len(strings.TrimLeft(b[i:], "`"))
				end := sc.CodeSpanEnd(i)
				if end > i+run { // closed
					blank(m, i, end)
				}
				return end
			}
			return i
		})
	}
	each(func(_ *inline.Scanner, b string, i int) int {
		if !inline.URLStart(b, i) {
			return i
		}
		if u := inline.URLText(b[i:]); u != "" {
			t.urls = append(t.urls, s[i:i+len(u)])
			blank(m, i, i+len(u))
			return i + len(u)
		}
		return i
	})
	each(func(sc *inline.Scanner, b string, i int) int {
		end := i
		switch b[i] {
		case '{':
			if end = sc.PlaceholderEnd(i); end > i {
				t.placeholders = append(t.placeholders, s[i:end])
			}
		case '%':
			if end = inline.VerbEnd(b, i); end > i && s[i:end] != "%%" {
				t.verbs = append(t.verbs, s[i:end])
			}
		}
		blank(m, i, end)
		return end
	})
	each(func(_ *inline.Scanner, b string, i int) int {
		if i > 0 && inline.IsLocalPart(b[i-1]) {
			return i
		}
		if end := inline.EmailEnd(b, i); end > i {
			t.emails = append(t.emails, s[i:end])
			blank(m, i, end)
			return end
		}
		return i
	})
	if markdown {
		each(func(sc *inline.Scanner, b string, i int) int {
			end := i
			switch b[i] {
			case ']':
				end = i + inline.LinkDestLen(b[i:])
			case '<':
				end, _ = sc.TagEnd(i)
			}
			blank(m, i, end)
			return end
		})
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

// hasLetters reports whether s has a letter: a text with none once URLs,
// placeholders and markup are blanked (a number, a URL) needs no
// translation.
func hasLetters(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
