package xliff

import "github.com/pressroom/pressroom/internal/markup"

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
	sc := markup.NewScanner(s, true)
	for i := 0; i < len(s); {
		end, kind := i, codeVar
		switch c := s[i]; {
		case c == '{':
			end = sc.PlaceholderEnd(i)
		case i < urlEnd:
			// Inside a bare URL (only templates count there, so that URL
			// escapes such as %20b are not taken for printf verbs).
		case c == '%':
			if end = markup.VerbEnd(s, i); end == i+2 && s[i+1] == '%' {
				// "%%" stays text: it prints a percent sign, and a
				// translator may write it as it is. Its second "%"
				// starts nothing.
				i += 2
				continue
			}
		case c == '<':
			var k markup.Kind
			end, k = sc.TagEnd(i)
			kind = codeTag
			if k == markup.Autolink {
				kind = codeLink
			}
		case c == ']':
			end, kind = i+markup.LinkDestLen(s[i:]), codeLink
		case markup.URLStart(s, i):
			urlEnd = i + markup.URLLen(s[i:])
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

// InlineCodes returns the inline codes of s in order: what an export
// writes as <ph> or <pc> and an import must find again.
func InlineCodes(s string) []string {
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
	for _, c := range InlineCodes(source) {
		count[c]++
	}
	for _, c := range InlineCodes(target) {
		if count[c] > 0 {
			count[c]--
		} else {
			extra = append(extra, c)
		}
	}
	for _, c := range InlineCodes(source) {
		if count[c] > 0 {
			count[c]--
			missing = append(missing, c)
		}
	}
	return missing, extra
}
