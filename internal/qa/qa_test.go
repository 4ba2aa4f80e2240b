package qa

import (
	"strings"
	"testing"
)

func checks(fs []Finding) map[string]Severity {
	out := map[string]Severity{}
	for _, f := range fs {
		if out[f.Check] != Error {
			out[f.Check] = f.Severity
		}
	}
	return out
}

func TestChecks(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name, src, tgt, locale string
		want                   map[string]Severity // checks that must fire; all others must not
		mention                string
	}{
		{"clean French", "Hello {{.Name}}, welcome to **Geneva**.", "Bonjour {{.Name}}, bienvenue à **Genève**.", "fr", nil, ""},
		{"missing placeholder", "Hello {{.Name}}, welcome.", "Bonjour, bienvenue.", "fr", map[string]Severity{"placeholders": Error}, "{{.Name}}"},
		{"extra printf verb", "Saved.", "Enregistré %s.", "fr", map[string]Severity{"placeholders": Error}, "%s"},
		{"link destination changed", "See [the site](https://example.org/a) now.", "Voir [le site](https://example.org/b) maintenant.", "fr", map[string]Severity{"markup": Error, "urls": Error}, "https://example.org/a"},
		{"emphasis dropped", "This is **important** news today.", "C'est une nouvelle importante aujourd'hui.", "fr", map[string]Severity{"markup": Error}, "**"},
		{"html tag lost", "Press <b>Save</b> to keep it.", "Appuyez sur Enregistrer pour le garder.", "fr", map[string]Severity{"markup": Error}, "<b>"},
		{"number missing", "The meeting had 340 participants from 12 countries.", "La réunion comptait 340 participants de douze pays.", "fr", map[string]Severity{"numbers": Error}, "12"},
		{"grouping differs is fine", "It cost 1,500,000 dollars in 2026.", "Cela a coûté 1 500 000 dollars en 2026.", "fr", nil, ""},
		{"arabic digits are the same numbers", "On 21 March 2026, 40 delegates met.", "في ٢١ آذار/مارس ٢٠٢٦، اجتمع ٤٠ مندوبا.", "ar", nil, ""},
		{"url kept", "Write to info@example.org or visit https://example.org/x.", "Écrivez à info@example.org ou visitez https://example.org/x.", "fr", nil, ""},
		{"email changed", "Write to info@example.org for details.", "Écrivez à contact@example.org pour les détails.", "fr", map[string]Severity{"urls": Error}, "info@example.org"},
		{"empty", "Hello.", "  ", "fr", map[string]Severity{"empty": Error}, "empty"},
		{"untranslated", "Welcome to the annual report of the board.", "Welcome to the annual report of the board.", "fr", map[string]Severity{"untranslated": Warning}, "identical"},
		{"numbers only are not untranslated", "2026", "2026", "fr", nil, ""},
		{"trailing space", "Hello world.", "Bonjour le monde. ", "fr", map[string]Severity{"whitespace": Warning}, "whitespace"},
		{"missing final stop", "The delegates agreed on three steps.", "Les délégués sont convenus de trois mesures", "fr", map[string]Severity{"punctuation": Warning}, "no sentence-final"},
		{"question became statement", "Why do glaciers matter?", "Pourquoi les glaciers comptent.", "fr", map[string]Severity{"punctuation": Warning}, "question"},
		{"french spaced colon", "They agreed on three steps:", "Ils sont convenus de trois mesures :", "fr", nil, ""},
		{"chinese full stop", "The event was organized by students.", "活动由学生组织。", "zh-Hans", nil, ""},
		{"chinese question", "Why do glaciers matter?", "冰川为何重要？", "zh-Hans", nil, ""},
		{"arabic question mark", "Why do glaciers matter?", "لماذا تهم الأنهار الجليدية؟", "ar", nil, ""},
		{"spanish inverted marks", "Why do glaciers matter?", "¿Por qué importan los glaciares?", "es", nil, ""},
		{"russian too short", "The delegates agreed on three practical steps for the coming year.", "Да.", "ru", map[string]Severity{"length": Warning}, "expected 70%"},
		{"chinese short is fine", "The delegates agreed on three practical steps for the coming year.", "代表们商定了来年的三项切实步骤。", "zh-Hans", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := Check(cfg, "p-1", c.src, c.tgt, "en", c.locale, true)
			got := checks(fs)
			for check, sev := range c.want {
				if got[check] != sev {
					t.Errorf("check %s: got %q, want %q (findings %+v)", check, got[check], sev, fs)
				}
			}
			for check := range got {
				if _, ok := c.want[check]; !ok {
					t.Errorf("unexpected %s finding: %+v", check, fs)
				}
			}
			if c.mention != "" {
				var all []string
				for _, f := range fs {
					all = append(all, f.Message)
					if f.SegmentID != "p-1" {
						t.Errorf("finding without its segment: %+v", f)
					}
				}
				if !strings.Contains(strings.Join(all, "\n"), c.mention) {
					t.Errorf("messages %q do not mention %q", all, c.mention)
				}
			}
		})
	}
}

func TestPlainTextHasNoMarkup(t *testing.T) {
	fs := Check(DefaultConfig(), "t", "Side-event of the 45th session", "Événement parallèle {{.Session}} <b> de la 45e session", "en", "fr", false)
	if e, _ := Summarize(fs); e != 0 {
		t.Fatalf("plain text: %+v", fs)
	}
	fs = Check(DefaultConfig(), "t", "Side-event of the 45th session", "Événement parallèle de la session", "en", "fr", false)
	if got := checks(fs); got["numbers"] != Error {
		t.Fatalf("numbers are checked in plain text too: %+v", fs)
	}
}

func TestSummarize(t *testing.T) {
	fs := Check(DefaultConfig(), "x", "Hello {{.Name}}.", "", "en", "fr", true)
	if e, w := Summarize(fs); e != 1 || w != 0 {
		t.Fatalf("%d errors %d warnings: %+v", e, w, fs)
	}
	fs = Check(DefaultConfig(), "x", "Hello {{.Name}}, we met 3 times.", "Bonjour, nous", "en", "fr", true)
	if e, _ := Summarize(fs); e != 2 {
		t.Fatalf("want placeholder and number errors: %+v", fs)
	}
}
