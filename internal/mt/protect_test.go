package mt

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pressroom/pressroom/internal/report"
)

const issueSentence = "Visit **our** [website](https://example.org/a?b=1) before {{.Date}}: 3,500 people came."

func TestMaskTokens(t *testing.T) {
	m := mask(issueSentence, report.FormatMarkdown)
	want := `Visit <x id="1"/>our<x id="2"/> <x id="3"/>website<x id="4"/> before <x id="5"/>: <x id="6"/> people came.`
	if m.text != want {
		t.Errorf("masked\n got %s\nwant %s", m.text, want)
	}
	if got := strings.Join(m.spans, " | "); got != "** | ** | [ | ](https://example.org/a?b=1) | {{.Date}} | 3,500" {
		t.Errorf("spans %s", got)
	}
	if !m.letters {
		t.Error("letters not seen")
	}
	// Text is XML-escaped so engines parsing tags do not eat it.
	m = mask("a < b & c > d", report.FormatText)
	if m.text != "a &lt; b &amp; c &gt; d" {
		t.Errorf("escaped: %s", m.text)
	}
	if out, err := m.unmask(m.text, true); err != nil || out != "a < b & c > d" {
		t.Errorf("round trip %q, %v", out, err)
	}
	// Nothing but protected text: nothing to translate.
	if m := mask("3,500 https://example.org {{.X}}", report.FormatMarkdown); m.letters {
		t.Errorf("letters in %s", m.text)
	}
	// Engine marks in the source are protected, so marks in output are the engine's.
	m = mask("Email press@example.org about #climate and *this*", report.FormatText)
	if strings.ContainsAny(regexp.MustCompile(`<x id="\d+"/>`).ReplaceAllString(m.text, ""), "*#@") {
		t.Errorf("mark characters left in %s", m.text)
	}
}

// Every protected span of the pseudo tests survives a mask/unmask round
// trip, as does the text itself.
func TestMaskRoundTrip(t *testing.T) {
	inputs := []string{issueSentence, "  leading and trailing  ", "Fish &amp; chips < 3 > 2 && \"quotes\" 'single'"}
	for _, c := range protectCases {
		inputs = append(inputs, c.in)
	}
	for _, in := range inputs {
		for _, f := range []report.Format{report.FormatMarkdown, report.FormatText} {
			m := mask(in, f)
			out, err := m.unmask(m.text, true)
			if err != nil || out != in {
				t.Errorf("%q (%s): got %q, %v", in, f, out, err)
			}
			// Protected spans of the pseudo tests are inside tokens.
			for _, c := range protectCases {
				if c.in != in || c.format != f {
					continue
				}
				for _, p := range c.protected {
					if !strings.Contains(strings.Join(m.spans, ""), p) {
						t.Errorf("%q: %q not protected (spans %q)", in, p, m.spans)
					}
				}
			}
		}
	}
}

func TestUnmaskVerifies(t *testing.T) {
	m := mask(issueSentence, report.FormatMarkdown)
	good := `Visite <x id="1"/>nuestro<x id="2"/> <x id="3"/>sitio web<x id="4"/> antes de <x id="5"/>: <x id="6"/> personas vinieron.`
	out, err := m.unmask(good, true)
	if err != nil || out != "Visite **nuestro** [sitio web](https://example.org/a?b=1) antes de {{.Date}}: 3,500 personas vinieron." {
		t.Fatalf("got %q, %v", out, err)
	}
	// Serializers may write the element differently.
	if out, err := m.unmask(strings.NewReplacer(`<x id="1"/>`, `<x id='1' />`, `<x id="2"/>`, `<x id="2"></x>`, `<x id="6"/>`, `<X ID=6>`).Replace(good), true); err != nil || !strings.Contains(out, "**nuestro**") || !strings.Contains(out, "3,500") {
		t.Errorf("variants: %q, %v", out, err)
	}
	// Self-contained spans may move with the words.
	if _, err := m.unmask(`<x id="6"/> personas: visite <x id="1"/>nuestro<x id="2"/> <x id="3"/>sitio<x id="4"/> antes de <x id="5"/>.`, true); err != nil {
		t.Errorf("moved number refused: %v", err)
	}
	for name, bad := range map[string]string{
		"lost":       strings.Replace(good, `<x id="5"/>`, "", 1),
		"duplicated": strings.Replace(good, `<x id="6"/>`, `<x id="6"/> <x id="6"/>`, 1),
		"mangled":    strings.Replace(good, `<x id="4"/>`, `<x id=”4”/>`, 1),
		"unknown":    strings.Replace(good, `<x id="5"/>`, `<x id="5"/><x id="9"/>`, 1),
		"reordered":  strings.Replace(strings.Replace(good, `<x id="3"/>`, `<x id="T"/>`, 1), `<x id="4"/>`, `<x id="3"/>`, 1),
		"translated": strings.Replace(good, `<x id="1"/>`, `<x identificación="1"/>`, 1),
	} {
		if name == "reordered" {
			bad = strings.Replace(bad, `<x id="T"/>`, `<x id="4"/>`, 1)
		}
		if _, err := m.unmask(bad, true); err == nil {
			t.Errorf("%s: accepted %q", name, bad)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestStripMarks(t *testing.T) {
	for in, want := range map[string]string{
		"El *blorf es #grande y @foo.":    "El blorf es grande y foo.",
		`<x id="1"/>*zork<x id="2"/> # 3`: `<x id="1"/>zork<x id="2"/> # 3`,
		"nothing to do":                   "nothing to do",
	} {
		if got := stripMarks(in); got != want {
			t.Errorf("stripMarks(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitText(t *testing.T) {
	sentence := `The delegates met in Geneva on <x id="1"/> March and agreed &amp; signed. `
	long := strings.Repeat(sentence, 40) + "End"
	for _, limit := range []int{100, 250, 1000} {
		pieces := splitText(long, limit, byteLen)
		var b strings.Builder
		for i, p := range pieces {
			if len(p.text) > limit {
				t.Errorf("limit %d: piece %d has %d bytes", limit, i, len(p.text))
			}
			if strings.Count(p.text, "<") != strings.Count(p.text, ">") || strings.Count(p.text, "&") != strings.Count(p.text, ";") {
				t.Errorf("limit %d: piece %d cuts a token or entity: %q", limit, i, p.text)
			}
			if i < len(pieces)-1 && !strings.HasSuffix(p.text, ".") {
				t.Errorf("limit %d: piece %d not cut at a sentence end: %q", limit, i, p.text)
			}
			b.WriteString(p.text + p.sep)
		}
		if b.String() != long {
			t.Errorf("limit %d: pieces do not rejoin", limit)
		}
	}
	// No sentence end: cut at spaces; no space: between characters.
	words := strings.Repeat("word ", 100)
	for _, p := range splitText(words, 42, byteLen) {
		if len(p.text) > 42 || strings.HasPrefix(p.text, " ") {
			t.Errorf("word cut: %q", p.text)
		}
	}
	cjk := strings.Repeat("会议于日内瓦举行。", 30)
	pieces := splitText(cjk, 100, byteLen)
	var b strings.Builder
	for _, p := range pieces {
		if len(p.text) > 100 || !utf8.ValidString(p.text) || !strings.HasSuffix(p.text, "。") {
			t.Errorf("cjk piece %q", p.text)
		}
		b.WriteString(p.text + p.sep)
	}
	if b.String() != cjk {
		t.Error("cjk pieces do not rejoin")
	}
	blob := strings.Repeat("x", 250)
	if ps := splitText(blob, 100, byteLen); len(ps) != 3 || ps[0].text+ps[1].text+ps[2].text != blob {
		t.Errorf("hard cut: %+v", ps)
	}
	if n := jsonLen("a\"\\\n\u00e9\x01"); n != 1+2+2+2+2+6 {
		t.Errorf("jsonLen = %d", n)
	}
}

func FuzzMask(f *testing.F) {
	f.Add(issueSentence)
	for _, c := range protectCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		for _, format := range []report.Format{report.FormatMarkdown, report.FormatText} {
			m := mask(in, format)
			out, err := m.unmask(m.text, true)
			if err != nil || out != in {
				t.Fatalf("%q: round trip %q, %v", in, out, err)
			}
			for _, p := range splitText(m.text, 64, byteLen) {
				if strings.Count(p.text, "<") != strings.Count(p.text, ">") {
					t.Fatalf("%q: cut inside a token: %q", in, p.text)
				}
			}
		}
	})
}
