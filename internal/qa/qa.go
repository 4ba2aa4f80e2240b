// Package qa runs the quality checks localization teams expect on each
// translated segment: placeholders and inline markup, numbers, URLs,
// empty or untranslated targets, whitespace, sentence-final punctuation
// and length. An error blocks approval; a warning is shown.
package qa

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Severity of a finding.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem in one segment.
type Finding struct {
	SegmentID string   `json:"segment_id"`
	Check     string   `json:"check"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
}

// Config holds per-locale limits.
type Config struct {
	// LengthRatio is the accepted [min, max] of target runes / source
	// runes, by target language; "*" is the default.
	LengthRatio map[string][2]float64
}

// DefaultConfig has length ranges that fit the UN languages: CJK is far
// shorter than English, Russian and the Romance languages longer.
func DefaultConfig() Config {
	return Config{LengthRatio: map[string][2]float64{
		"zh": {0.15, 1.2}, "ja": {0.2, 1.2}, "ko": {0.2, 1.3},
		"ar": {0.6, 1.6}, "ru": {0.7, 1.9}, "fr": {0.7, 1.8}, "es": {0.7, 1.8},
		"*": {0.5, 2.2},
	}}
}

// minRatioRunes: shorter sources vary too much in length to judge.
const minRatioRunes = 20

var (
	placeholderRe = regexp.MustCompile(`\{\{.*?\}\}|%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[sdvqfgxXeEtTbcoU%]`)
	htmlTagRe     = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	linkDestRe    = regexp.MustCompile(`\]\(([^)\s]*)(?:\s+"[^"]*")?\)`)
	codeSpanRe    = regexp.MustCompile("`[^`]+`")
	emphasisRe    = regexp.MustCompile(`\*\*|__|\*|_`)
	urlRe         = regexp.MustCompile(`(?i)\bhttps?://[^\s<>()\[\]"']+[^\s<>()\[\]"'.,;:!?]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b`)
	numberRe      = regexp.MustCompile(`\d+(?:[.,\x{00A0}\x{202F} ]\d+)*`)
)

// Check runs every check on one segment. markdown says the texts are
// inline Markdown, where placeholders, HTML tags, emphasis and links are
// markup to keep; in plain text they are just characters.
func Check(cfg Config, segmentID, source, target, sourceLocale, targetLocale string, markdown bool) []Finding {
	var out []Finding
	add := func(check string, sev Severity, format string, args ...any) {
		out = append(out, Finding{SegmentID: segmentID, Check: check, Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(target) == "" {
		add("empty", Error, "the target is empty")
		return out
	}
	if !utf8.ValidString(target) {
		add("encoding", Error, "the target is not valid UTF-8")
		return out
	}
	// In a plain-text report nothing is markup or a placeholder: the text
	// is literal, escaped on the page and inert in the catalogs.
	if markdown {
		sameSet(add, "placeholders", "placeholder", placeholderRe.FindAllString(source, -1), placeholderRe.FindAllString(target, -1))
		sameSet(add, "markup", "HTML tag", htmlTagRe.FindAllString(source, -1), htmlTagRe.FindAllString(target, -1))
		sameSet(add, "markup", "link destination", submatches(linkDestRe, source), submatches(linkDestRe, target))
		sameSet(add, "markup", "code span", codeSpanRe.FindAllString(source, -1), codeSpanRe.FindAllString(target, -1))
		if s, t := emphasis(source), emphasis(target); s != t {
			add("markup", Error, "emphasis markers differ: the source has %s, the target %s", s, t)
		}
	}
	urls := urlRe.FindAllString(source, -1)
	for _, u := range urls {
		if !strings.Contains(target, u) {
			add("urls", Error, "URL or address %s is missing from the target (it must be kept exactly)", u)
		}
	}
	checkNumbers(add, stripAll(source, urls), stripAll(target, urlRe.FindAllString(target, -1)))
	if target == source && hasLetters(source) {
		add("untranslated", Warning, "the target is identical to the source")
	}
	if lead(source) != lead(target) || trail(source) != trail(target) {
		add("whitespace", Warning, "leading or trailing whitespace differs from the source (%q…%q vs %q…%q)", lead(source), trail(source), lead(target), trail(target))
	}
	checkPunctuation(add, source, target, targetLocale)
	checkLength(add, cfg, source, target, targetLocale)
	return out
}

// Summarize counts errors and warnings.
func Summarize(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

type addFunc func(check string, sev Severity, format string, args ...any)

// sameSet reports items missing from, or added to, the target (as multisets).
func sameSet(add addFunc, check, what string, src, tgt []string) {
	count := map[string]int{}
	for _, s := range src {
		count[s]++
	}
	for _, t := range tgt {
		count[t]--
	}
	var keys []string
	for k := range count {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch n := count[k]; {
		case n > 0:
			add(check, Error, "%s %s is missing from the target", what, k)
		case n < 0:
			add(check, Error, "%s %s is in the target but not in the source", what, k)
		}
	}
}

func submatches(re *regexp.Regexp, s string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// emphasis counts Markdown emphasis markers outside code spans and URLs.
func emphasis(s string) string {
	s = codeSpanRe.ReplaceAllString(s, "")
	s = urlRe.ReplaceAllString(s, "")
	s = linkDestRe.ReplaceAllString(s, "]")
	n := map[string]int{}
	for _, m := range emphasisRe.FindAllString(s, -1) {
		n[m]++
	}
	if len(n) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range []string{"**", "__", "*", "_"} {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d×%s", n[k], k))
		}
	}
	return strings.Join(parts, " ")
}

func stripAll(s string, parts []string) string {
	for _, p := range parts {
		s = strings.ReplaceAll(s, p, " ")
	}
	return s
}

// checkNumbers: every number of the source must be in the target, in any
// locale's digits and grouping (1,000 = 1 000 = 1.000 = ١٬٠٠٠).
func checkNumbers(add addFunc, source, target string) {
	have := map[string]int{}
	for _, n := range numberRe.FindAllString(normalizeDigits(placeholderRe.ReplaceAllString(target, " ")), -1) {
		have[numberKey(n)]++
	}
	for _, n := range numberRe.FindAllString(normalizeDigits(placeholderRe.ReplaceAllString(source, " ")), -1) {
		k := numberKey(n)
		if have[k] > 0 {
			have[k]--
			continue
		}
		add("numbers", Error, "number %s is missing from the target", n)
	}
}

// normalizeDigits maps Arabic-Indic and other Unicode digits to ASCII,
// and the Arabic thousands and decimal separators to , and .
func normalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '٬':
			return ','
		case r == '٫':
			return '.'
		case unicode.IsDigit(r) && r > '9':
			return '0' + rune(digitValue(r))
		}
		return r
	}, s)
}

func digitValue(r rune) int {
	// Unicode decimal digits come in contiguous runs of ten starting at 0.
	for _, zero := range []rune{'٠', '۰', '߀', '०', '০', '੦', '૦', '୦', '௦', '౦', '೦', '൦', '๐', '໐', '０'} {
		if r >= zero && r <= zero+9 {
			return int(r - zero)
		}
	}
	return 0
}

// numberKey compares numbers ignoring grouping: "1,000", "1 000" and
// "1.000" are the same thousand, and "3,5" matches "3.5".
func numberKey(n string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, n)
}

func hasLetters(s string) bool {
	s = urlRe.ReplaceAllString(placeholderRe.ReplaceAllString(s, ""), "")
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

func lead(s string) string  { return s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))] }
func trail(s string) string { return s[len(strings.TrimRightFunc(s, unicode.IsSpace)):] }

// Sentence-final punctuation by kind, across scripts.
var finals = map[rune]string{
	'.': "stop", '。': "stop", '۔': "stop", '．': "stop",
	'?': "question", '？': "question", '؟': "question",
	'!': "exclamation", '！': "exclamation",
	':': "colon", '：': "colon",
}

// closers may follow the final mark: quotes, brackets, emphasis.
const closers = `"'”’»)]*_】」』）`

func finalMark(s string) (rune, bool) {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	s = strings.TrimRight(s, closers)
	r, _ := utf8.DecodeLastRuneInString(s)
	_, ok := finals[r]
	return r, ok
}

func checkPunctuation(add addFunc, source, target, targetLocale string) {
	sr, ok := finalMark(source)
	if !ok {
		return
	}
	tr, tok := finalMark(target)
	if !tok {
		add("punctuation", Warning, "the source ends with %q but the target has no sentence-final punctuation", sr)
		return
	}
	if finals[sr] != finals[tr] {
		add("punctuation", Warning, "the source ends with %q (%s) but the target with %q (%s)", sr, finals[sr], tr, finals[tr])
	}
	_ = targetLocale // every script's marks are in finals; French spacing is trimmed above
}

func checkLength(add addFunc, cfg Config, source, target, targetLocale string) {
	sn := utf8.RuneCountInString(strings.TrimSpace(source))
	if sn < minRatioRunes || cfg.LengthRatio == nil {
		return
	}
	lim, ok := cfg.LengthRatio[baseLanguage(targetLocale)]
	if !ok {
		if lim, ok = cfg.LengthRatio["*"]; !ok {
			return
		}
	}
	ratio := float64(utf8.RuneCountInString(strings.TrimSpace(target))) / float64(sn)
	if ratio < lim[0] || ratio > lim[1] {
		add("length", Warning, "the target is %.0f%% of the source's length; expected %.0f%%–%.0f%% for %s", ratio*100, lim[0]*100, lim[1]*100, targetLocale)
	}
}

func baseLanguage(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	b, _ := t.Base()
	return b.String()
}
