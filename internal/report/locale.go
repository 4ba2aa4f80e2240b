package report

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// CanonicalLocale returns the canonical form of a BCP 47 tag as
// golang.org/x/text/language writes it ("EN-gb" → "en-GB", "zh-Hans"
// stays "zh-Hans"). It refuses malformed tags and tags without a language
// ("und"), which cannot be translated to or from.
func CanonicalLocale(tag string) (string, error) {
	c, reason := canonicalLocale(tag)
	if reason != "" {
		return "", fmt.Errorf("locale %q %s", tag, reason)
	}
	return c, nil
}

// canonicalLocale returns the canonical tag, or a reason that continues the
// sentence `locale "x" ...`.
func canonicalLocale(tag string) (string, string) {
	if strings.TrimSpace(tag) == "" {
		return "", "is empty; give a BCP 47 tag such as en, fr or zh-Hans"
	}
	t, err := language.Parse(tag)
	if err != nil {
		return "", fmt.Sprintf("is not a valid BCP 47 tag: %v", err)
	}
	if b, _, _ := t.Raw(); b.String() == "und" {
		return "", "names no language; give a BCP 47 tag such as en, fr or zh-Hans"
	}
	// Canonicalization maps legacy forms (iw → he, mo → ro-MD); repeat until
	// stable so a canonical tag is its own canonical form.
	s := t.String()
	for range 4 {
		t2, err := language.Parse(s)
		if err != nil || t2.String() == s {
			return s, ""
		}
		s = t2.String()
	}
	return "", "has no stable canonical form"
}

// locatedLocale is a locale as written, with where it was written.
type locatedLocale struct {
	value string
	at    where
	field string
}

// checkLocales canonicalizes the source and targets and reports invalid
// tags, a target equal to the source and repeated targets. With
// requireCanonical it also refuses values not already canonical, as a
// stored Report must be.
func checkLocales(source locatedLocale, targets []locatedLocale, requireCanonical bool) (string, []string, []*Error) {
	var errs []*Error
	canon := func(l locatedLocale) (string, bool) {
		c, reason := canonicalLocale(l.value)
		if reason != "" {
			errs = append(errs, l.at.errorf(l.field, l.value, "%s", reason))
			return "", false
		}
		if requireCanonical && c != l.value {
			errs = append(errs, l.at.errorf(l.field, l.value, "is not in canonical form; write %q", c))
			return "", false
		}
		return c, true
	}
	src, srcOK := canon(source)
	var out []string
	seen := map[string]locatedLocale{}
	for _, t := range targets {
		c, ok := canon(t)
		if !ok {
			continue
		}
		if srcOK && c == src {
			same := ""
			if t.value != src {
				same = " (" + src + ")"
			}
			errs = append(errs, t.at.errorf(t.field, t.value, "is the source locale%s; a target must differ from the source", same))
			continue
		}
		if prev, dup := seen[c]; dup {
			also := ""
			if prev.at.line > 0 && prev.at.line != t.at.line {
				also = fmt.Sprintf(" (first on line %d)", prev.at.line)
			}
			errs = append(errs, t.at.errorf(t.field, t.value, "is listed twice in targets%s", also))
			continue
		}
		seen[c] = t
		out = append(out, c)
	}
	return src, out, errs
}
