// Package qa runs the quality checks a localization team expects on one
// translated segment: placeholders, markup, numbers and URLs kept; the
// target neither empty nor left untranslated; white space, final
// punctuation and length plausible. Each finding has a severity: an error
// blocks approval, a warning is shown to the translator. Messages say what
// was expected and what was found, so they can be acted on without
// comparing the texts character by character.
package qa

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Severity says whether a finding blocks approval.
type Severity string

const (
	// Error blocks approval.
	Error Severity = "error"
	// Warning is shown; a translator may approve with warnings.
	Warning Severity = "warning"
)

// Names of the checks, as Finding.Check reports them.
const (
	CheckEmpty        = "empty"
	CheckEncoding     = "encoding"
	CheckPlaceholders = "placeholders" // {{...}} and printf verbs (%s, %d, %[1]s)
	CheckMarkup       = "markup"       // emphasis, code spans, HTML tags, link destinations
	CheckNumbers      = "numbers"
	CheckURLs         = "urls" // URLs and e-mail addresses
	CheckUntranslated = "untranslated"
	CheckWhitespace   = "whitespace"
	CheckPunctuation  = "punctuation"
	CheckLength       = "length"
)

// Finding is one problem in one segment.
type Finding struct {
	SegmentID string   `json:"segment_id"`
	Check     string   `json:"check"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
}

// Config tunes the checks.
type Config struct {
	// LengthRatio is, per target locale, the plausible [min, max] of
	// len(target)/len(source) counted in code points, for a source in an
	// alphabetic language such as English. Keys are BCP 47 tags; a locale
	// uses its own entry, else its language's ("zh-Hans-CN" → "zh-Hans" →
	// "zh"), else "*"; with none of them, its length is not checked. When
	// the source locale has an entry of its own (a Chinese source, say),
	// the range is relative to it: [tmin/smax, tmax/smin].
	LengthRatio map[string][2]float64
}

// DefaultConfig returns ranges that hold for ordinary prose translated
// from English into the UN languages: Chinese, Japanese and Korean need
// far fewer characters, Russian and the Romance languages run longer.
// They are wide on purpose: a warning should mean "look at this".
func DefaultConfig() Config {
	return Config{LengthRatio: map[string][2]float64{
		"zh": {0.15, 1.2}, "ja": {0.2, 1.2}, "ko": {0.2, 1.3},
		"ar": {0.6, 1.6}, "ru": {0.7, 1.9}, "fr": {0.7, 1.8}, "es": {0.7, 1.8},
		"*": {0.5, 2.2},
	}}
}

// minRatioRunes: sources shorter than this skip the length check ("OK" →
// "D'accord" is fine): the ratio of short texts says nothing.
const minRatioRunes = 20

// Check returns the findings for one segment, in a fixed order (by check,
// then by position in the text).
//
// markdown says the texts are inline Markdown, where placeholders, printf
// verbs, HTML tags, emphasis, code spans and links are markup that must
// survive translation. In plain text they are ordinary characters (the
// text is shown literally and never executed), so only numbers, URLs and
// the text-level checks apply.
//
// A blank source has nothing to check. An empty target, or one that is
// not valid UTF-8, gets that one error only.
func Check(cfg Config, segmentID, source, target, sourceLocale, targetLocale string, markdown bool) []Finding {
	if strings.TrimSpace(source) == "" {
		return nil
	}
	c := &checker{id: segmentID}
	if strings.TrimSpace(target) == "" {
		c.add(CheckEmpty, Error, "the target is empty; translate the source text")
		return c.findings
	}
	if !utf8.ValidString(target) {
		c.add(CheckEncoding, Error, "the target is not valid UTF-8 text; enter it again")
		return c.findings
	}
	src, tgt := scan(source, markdown), scan(target, markdown)

	if markdown {
		c.compare(CheckPlaceholders, Error, "placeholder ", src.placeholders, tgt.placeholders)
		c.compare(CheckPlaceholders, Error, "format verb ", src.verbs, tgt.verbs)
		sm, tm := parseMarkup(source), parseMarkup(target)
		c.compareMarkup(sm, tm, tgt)
	}
	c.numbers(src.numbers, tgt.numbers)
	c.compare(CheckURLs, Error, "URL ", src.urls, tgt.urls)
	c.compare(CheckURLs, Error, "e-mail address ", src.emails, tgt.emails)

	// Pseudo-localized text (mt's pseudo provider: "⟦ Ţĥé ţéẋţ. ··· ⟧") is
	// checked on what is inside the brackets, and not for length: making
	// text longer is what it is for.
	visible, pseudo := unwrapPseudo(target)
	srcLang, tgtLang := baseLanguage(sourceLocale), baseLanguage(targetLocale)
	if strings.TrimSpace(source) == strings.TrimSpace(target) && hasLetters(src.plain) && (srcLang == "" || srcLang != tgtLang) {
		c.add(CheckUntranslated, Warning, "the target is identical to the source: translate it, or approve it as is only if it needs no translation (a name, a title of a work)")
	}
	c.whitespace(source, visible)
	c.punctuation(source, visible, tgtLang, markdown)
	if !pseudo {
		c.length(cfg, source, target, sourceLocale, targetLocale)
	}
	return c.findings
}

// Summarize counts errors and warnings.
func Summarize(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

type checker struct {
	id       string
	findings []Finding
}

func (c *checker) add(check string, sev Severity, format string, args ...any) {
	c.findings = append(c.findings, Finding{SegmentID: c.id, Check: check, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// compare reports the difference between two multisets of tokens: those
// the target has fewer of, in source order, then those it has more of, in
// target order. label prefixes each token in messages. A token absent
// from the target and one absent from the source are reported together,
// as a change (an edited link, a translated placeholder name), which is
// what usually happened.
func (c *checker) compare(check string, sev Severity, label string, src, tgt []string) {
	missing, extra, counts := diff(src, tgt)
	for len(missing) > 0 && len(extra) > 0 && counts[missing[0]][1] == 0 && counts[extra[0]][0] == 0 {
		c.add(check, sev, "%s%s was changed to %s in the target; keep it exactly as in the source", label, show(missing[0]), show(extra[0]))
		missing, extra = missing[1:], extra[1:]
	}
	for _, tok := range missing {
		if n := counts[tok]; n[1] == 0 {
			c.add(check, sev, "%s%s is missing from the target", label, show(tok))
		} else {
			c.add(check, sev, "%s%s appears %s in the source but %s in the target", label, show(tok), times(n[0]), times(n[1]))
		}
	}
	for _, tok := range extra {
		if n := counts[tok]; n[0] == 0 {
			c.add(check, sev, "the target has %s%s, which is not in the source; remove it", label, show(tok))
		} else {
			c.add(check, sev, "%s%s appears %s in the source but %s in the target", label, show(tok), times(n[0]), times(n[1]))
		}
	}
}

// show writes a token as it is written (they are code, URLs or markup),
// quoted only when white space at its ends would otherwise be invisible.
func show(tok string) string {
	if tok != strings.TrimSpace(tok) {
		return fmt.Sprintf("%q", tok)
	}
	return tok
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// diff returns the tokens the target has fewer of (in source order) and
// more of (in target order), each once, with the counts per token
// ([source, target]).
func diff(src, tgt []string) (missing, extra []string, counts map[string][2]int) {
	counts = map[string][2]int{}
	for _, s := range src {
		n := counts[s]
		n[0]++
		counts[s] = n
	}
	for _, t := range tgt {
		n := counts[t]
		n[1]++
		counts[t] = n
	}
	seen := map[string]bool{}
	for _, s := range src {
		if n := counts[s]; n[1] < n[0] && !seen[s] {
			seen[s] = true
			missing = append(missing, s)
		}
	}
	for _, t := range tgt {
		if n := counts[t]; n[1] > n[0] && !seen[t] {
			seen[t] = true
			extra = append(extra, t)
		}
	}
	return missing, extra, counts
}

const (
	pseudoOpen  = "⟦ "
	pseudoClose = " ⟧"
	pseudoPad   = "·"
)

// unwrapPseudo returns the text inside a pseudo-localization wrapper,
// without its padding, and true; or s and false.
func unwrapPseudo(s string) (string, bool) {
	if len(s) < len(pseudoOpen)+len(pseudoClose) || !strings.HasPrefix(s, pseudoOpen) || !strings.HasSuffix(s, pseudoClose) {
		return s, false
	}
	inner := s[len(pseudoOpen) : len(s)-len(pseudoClose)]
	unpadded := strings.TrimRight(inner, pseudoPad)
	if unpadded == inner || !strings.HasSuffix(unpadded, " ") {
		return s, false
	}
	return strings.TrimSuffix(unpadded, " "), true
}
