package report

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// maxSlug keeps slugs usable as URL path segments, object key parts and
// Temporal workflow IDs.
const maxSlug = 100

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a URL-safe slug: lowercase ASCII letters
// and digits in words joined by single hyphens, at most 100 characters. The
// slug names URLs, storage keys and workflow IDs, so nothing else (no "/",
// "..", spaces or capitals) may pass.
func ValidSlug(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("slug is empty; use lowercase letters a-z, digits 0-9 and single hyphens between them")
	case len(s) > maxSlug:
		return fmt.Errorf("slug is %d characters long; at most %d are allowed", len(s), maxSlug)
	case !slugRE.MatchString(s):
		return fmt.Errorf("%q is not a URL-safe slug: use only lowercase letters a-z, digits 0-9 and single hyphens between them (at most %d characters)", s, maxSlug)
	}
	return nil
}

// fold holds Latin letters that Unicode decomposition leaves alone.
var fold = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d",
	'þ': "th", 'ł': "l", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŋ': "ng",
}

// isQuote reports apostrophes and quotation marks, which are dropped
// without a separator so "China's" gives "chinas", not "china-s".
func isQuote(r rune) bool {
	switch r {
	case '\'', '"', '`', '´', '‘', '’', '‚', '‛', '“', '”', '„', '‟',
		'‹', '›', '«', '»', 'ʼ', '′', '″', '＂', '＇':
		return true
	}
	return false
}

// Slugify derives a slug from a title: accents folded (NFKD, marks
// dropped), lowercase ASCII letters and digits, every other run of
// characters a single hyphen, apostrophes and quotes dropped, cut at a word
// boundary to at most 100 characters. It returns "" when nothing is left,
// as for a title in a non-Latin script; the caller must then ask for a
// slug.
func Slugify(title string) string {
	// A transformer chain keeps state, so build one per call.
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)))
	s, _, err := transform.String(t, title)
	if err != nil {
		s = title
	}
	var b strings.Builder
	dash := false
	emit := func(w string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(w)
	}
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			emit(string(r))
		case isQuote(r):
		case fold[r] != "":
			emit(fold[r])
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > maxSlug {
		if out[maxSlug] == '-' {
			out = out[:maxSlug]
		} else if i := strings.LastIndexByte(out[:maxSlug], '-'); i > 0 {
			out = out[:i]
		} else {
			out = strings.TrimRight(out[:maxSlug], "-")
		}
	}
	return out
}
