package qa

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Final punctuation by kind, across scripts. A source ending with one of
// these wants a target ending with one of the same kind, in whatever
// script the target uses.
var finalKinds = map[rune]string{
	'.': "stop", '。': "stop", '．': "stop", '｡': "stop", '…': "stop", '⋯': "stop",
	'۔': "stop", '।': "stop", '॥': "stop", '።': "stop", '។': "stop", '။': "stop",
	'?': "question", '？': "question", '؟': "question", '⸮': "question", '፧': "question",
	'!': "exclamation", '！': "exclamation",
	':': "colon", '：': "colon",
	';': "semicolon", '；': "semicolon", '؛': "semicolon",
	',': "comma", '，': "comma", '、': "comma", '،': "comma",
}

var kindNames = map[string]string{
	"stop": "a full stop", "question": "a question mark", "exclamation": "an exclamation mark",
	"colon": "a colon", "semicolon": "a semicolon", "comma": "a comma",
}

// preferred is the mark a language writes for each kind, where it is not
// the ASCII one.
var preferred = map[string]map[string]string{
	"zh": {"stop": "。", "question": "？", "exclamation": "！", "colon": "：", "semicolon": "；", "comma": "，"},
	"ja": {"stop": "。", "question": "？", "exclamation": "！", "colon": "：", "comma": "、"},
	"ar": {"question": "؟", "semicolon": "؛", "comma": "،"},
	"fa": {"question": "؟", "semicolon": "؛", "comma": "،"},
	"ur": {"stop": "۔", "question": "؟", "semicolon": "؛", "comma": "،"},
	"hi": {"stop": "।"},
	"el": {"question": ";"},
	"am": {"stop": "።", "question": "፧"},
	"my": {"stop": "။"},
	"km": {"stop": "។"},
}

var asciiMark = map[string]string{"stop": ".", "question": "?", "exclamation": "!", "colon": ":", "semicolon": ";", "comma": ","}

// noFinalStop: languages whose sentences end without a mark.
var noFinalStop = map[string]bool{"th": true, "lo": true}

// finalMark returns the last punctuation mark of s and its kind, looking
// past white space (French "Vraiment ?" has a space before "?"), closing
// quotes and brackets, and in Markdown emphasis markers ("**Note.**").
// Opening marks such as Spanish ¿ and ¡ are at the other end and play no
// part.
func finalMark(s, lang string, markdown bool) (rune, string) {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		if unicode.IsSpace(r) || unicode.In(r, unicode.Pe, unicode.Pf) || r == '"' || r == '\'' ||
			markdown && (r == '*' || r == '_') {
			s = s[:len(s)-size]
			continue
		}
		if lang == "el" && r == ';' {
			return r, "question" // the Greek question mark is a semicolon
		}
		return r, finalKinds[r]
	}
	return 0, ""
}

// punctuation compares the final punctuation of source and target.
func (c *checker) punctuation(source, target, tgtLang string, markdown bool) {
	sr, kind := finalMark(source, "", markdown)
	if kind == "" {
		return
	}
	tr, tkind := finalMark(target, tgtLang, markdown)
	if tkind == kind {
		return
	}
	want := asciiMark[kind]
	if p, ok := preferred[tgtLang][kind]; ok {
		want = p
	}
	switch {
	case tkind == "" && kind == "stop" && noFinalStop[tgtLang]:
		// Thai and Lao end sentences with a space or nothing.
	case tkind == "":
		what := "sentence-final"
		if kind == "comma" || kind == "semicolon" {
			what = "final"
		}
		c.add(CheckPunctuation, Warning, "the source ends with %q (%s) but the target has no %s punctuation; end it with %q", string(sr), kindNames[kind], what, want)
	default:
		c.add(CheckPunctuation, Warning, "the source ends with %q (%s) but the target with %q (%s); end it with %q", string(sr), kindNames[kind], string(tr), kindNames[tkind], want)
	}
}

// whitespace compares the white space at both ends.
func (c *checker) whitespace(source, target string) {
	for _, end := range []struct{ name, src, tgt string }{
		{"leading", leadingSpace(source), leadingSpace(target)},
		{"trailing", trailingSpace(source), trailingSpace(target)},
	} {
		if end.src != end.tgt {
			c.add(CheckWhitespace, Warning, "%s whitespace differs from the source: the source has %s, the target %s", end.name, spaceName(end.src), spaceName(end.tgt))
		}
	}
}

func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))]
}

func trailingSpace(s string) string {
	return s[len(strings.TrimRightFunc(s, unicode.IsSpace)):]
}

func spaceName(ws string) string {
	if ws == "" {
		return "none"
	}
	return fmt.Sprintf("%q", ws)
}

// length checks the ratio of target to source length.
func (c *checker) length(cfg Config, source, target, sourceLocale, targetLocale string) {
	ns := utf8.RuneCountInString(strings.TrimSpace(source))
	nt := utf8.RuneCountInString(strings.TrimSpace(target))
	if ns < minRatioRunes {
		return
	}
	r, ok := lengthRange(cfg, targetLocale, true)
	if !ok {
		return
	}
	if s, ok := lengthRange(cfg, sourceLocale, false); ok && s[0] > 0 && s[1] > 0 {
		r = [2]float64{r[0] / s[1], r[1] / s[0]}
	}
	ratio := float64(nt) / float64(ns)
	if ratio >= r[0] && ratio <= r[1] {
		return
	}
	hint := "check that nothing was left out"
	if ratio > r[1] {
		hint = "check that nothing was added or repeated"
	}
	c.add(CheckLength, Warning, "the target is %.0f%% of the source's length (%d → %d characters); expected %.0f%%–%.0f%% for %s: %s",
		ratio*100, ns, nt, r[0]*100, r[1]*100, targetLocale, hint)
}

// lengthRange finds a locale's range: its own, its language's, else "*"
// when orDefault.
func lengthRange(cfg Config, locale string, orDefault bool) ([2]float64, bool) {
	if len(cfg.LengthRatio) == 0 {
		return [2]float64{}, false
	}
	for _, want := range localeChain(locale) {
		for k, r := range cfg.LengthRatio {
			if k != "*" && canonicalKey(k) == want {
				return r, true
			}
		}
	}
	if orDefault {
		r, ok := cfg.LengthRatio["*"]
		return r, ok
	}
	return [2]float64{}, false
}

// localeChain lists a tag and its more general forms, canonical:
// zh-Hans-CN, zh-Hans, zh-CN, zh.
func localeChain(locale string) []string {
	t, err := language.Parse(locale)
	if err != nil {
		return []string{locale}
	}
	base, script, region := t.Raw()
	out := []string{t.String()}
	add := func(parts ...string) {
		s := strings.Join(parts, "-")
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	if script.String() != "Zzzz" {
		add(base.String(), script.String())
	}
	if region.String() != "ZZ" {
		add(base.String(), region.String())
	}
	add(base.String())
	return out
}

var keyCache sync.Map // config key → canonical form, so a key is parsed once

func canonicalKey(k string) string {
	if c, ok := keyCache.Load(k); ok {
		return c.(string)
	}
	c := k
	if t, err := language.Parse(k); err == nil {
		c = t.String()
	}
	keyCache.Store(k, c)
	return c
}

// baseLanguage returns a locale's language ("zh" for "zh-Hans"), or ""
// for a tag that does not parse.
func baseLanguage(locale string) string {
	t, err := language.Parse(locale)
	if err != nil {
		return ""
	}
	if b, _, _ := t.Raw(); b.String() != "und" {
		return b.String()
	}
	return ""
}
