package markup

import "testing"

// One table for the rules the packages used to hold in disagreeing copies.
func TestNext(t *testing.T) {
	cases := []struct {
		in   string
		span string // the span Next finds at 0; "" for none
		kind Kind
	}{
		{"%s done", "%s", Verb},
		{"%[1]-8.2f", "%[1]-8.2f", Verb},
		{"%%", "%%", Percent},
		{"%A", "", None}, // not a fmt verb letter
		{"% d", "", None},
		{"{{.Name}} x", "{{.Name}}", Placeholder},
		{"{{ a\nb }}", "{{ a\nb }}", Placeholder},
		{"{count} x", "{count}", Placeholder},
		{"{{ unclosed", "", None},
		{`<a title="1>0">x`, `<a title="1>0">`, Tag},
		{"<b>x", "<b>", Tag},
		{"<!-- c --> x", "<!-- c -->", Tag},
		{"<a <b>", "", None},
		{"< 4 > 2", "", None},
		{"<https://un.org> x", "<https://un.org>", Autolink},
		{"<info@un.org>", "<info@un.org>", Autolink},
		{"https://un.org/a?b=1 x", "https://un.org/a?b=1", URL},
		{"www.un.org{{.X}}", "www.un.org", URL},
		{"https://un.org/zh会议", "https://un.org/zh", URL},
		{"https://un.org`code`", "https://un.org", URL},
		{"info@un.org.", "info@un.org", Email},
		{"mailto:info@un.org", "mailto:info@un.org", Email},
		{"1,500.5 x", "1,500.5", Number},
		{"](https://un.org \"t\") x", "](https://un.org \"t\")", LinkDest},
		{"`a {{.X}}` b", "`a {{.X}}`", CodeSpan},
		{"``a` b", "``", CodeSpan}, // unclosed run: the run alone
		{`\*x`, `\*`, Escape},
		{"&amp; x", "&amp;", Entity},
	}
	for _, c := range cases {
		end, kind := NewScanner(c.in, true).Next(0)
		if got := c.in[:end]; got != c.span || kind != c.kind {
			t.Errorf("Next(%q) = %q kind %d, want %q kind %d", c.in, got, kind, c.span, c.kind)
		}
	}
}

func TestURLStartAndText(t *testing.T) {
	for _, c := range []struct {
		in    string
		at    int
		start bool
	}{
		{"see www.un.org", 4, true},
		{"reportwww.un.org", 6, false},
		{"ŕéþöŕţwww.un.org", len("ŕéþöŕţ"), false}, // accented Latin: still a word
		{"请访问https://un.org", len("请访问"), true},    // CJK writes URLs right after a letter
		{"2026www.un.org", 4, false},
	} {
		if got := URLStart(c.in, c.at); got != c.start {
			t.Errorf("URLStart(%q, %d) = %v, want %v", c.in, c.at, got, c.start)
		}
	}
	for in, want := range map[string]string{
		"https://un.org/a.":       "https://un.org/a",
		"https://un.org/a) and":   "https://un.org/a",
		"https://un.org/(a) and":  "https://un.org/(a)",
		"https://un.org/a\"quote": "https://un.org/a",
		"no url":                  "",
	} {
		if got := URLText(in); got != want {
			t.Errorf("URLText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAllowedURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://un.org": true, "mailto:a@b.c": true, "/fr/x": true, "x?a=b:c": true,
		"javascript:alert(1)": false, "data:text/html,x": false, "JAVASCRIPT:x": false,
	} {
		if got := AllowedURL([]byte(u)); got != want {
			t.Errorf("AllowedURL(%q) = %v, want %v", u, got, want)
		}
	}
}
