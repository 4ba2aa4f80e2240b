package report

import (
	"strings"
	"testing"
)

// seg is the part of a Segment a test compares (IDs are tested apart).
type seg struct {
	Kind    Kind
	Level   int
	List    int
	Ordered bool
	Text    string
}

func segsOf(r *Report) []seg {
	out := make([]seg, len(r.Segments))
	for i, s := range r.Segments {
		out[i] = seg{s.Kind, s.Level, s.List, s.Ordered, s.Text}
	}
	return out
}

func TestParseMarkdownSegments(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []seg
	}{
		{
			name: "headings and paragraphs",
			in:   "# The Title\n\nIntro line one\nline two.\n\n## Section ##\n\nText.\n\nSetext two\n----------\n\n###### Six\n",
			want: []seg{
				{Kind: KindTitle, Text: "The Title"},
				{Kind: KindParagraph, Text: "Intro line one line two."},
				{Kind: KindHeading, Level: 2, Text: "Section"},
				{Kind: KindParagraph, Text: "Text."},
				{Kind: KindHeading, Level: 2, Text: "Setext two"},
				{Kind: KindHeading, Level: 6, Text: "Six"},
			},
		},
		{
			name: "inline markdown kept as source",
			in:   "# Title with *emphasis*\n\nA **bold** claim, _quiet_ aside, [a link](https://example.org \"t\"),\n`code` and <https://un.org>.\n",
			want: []seg{
				{Kind: KindTitle, Text: "Title with *emphasis*"},
				{Kind: KindParagraph, Text: "A **bold** claim, _quiet_ aside, [a link](https://example.org \"t\"), `code` and <https://un.org>."},
			},
		},
		{
			name: "lists, nested lists, ordered lists",
			in:   "# T\n\n- one\n- two *x*\n  1. two-a\n  2. two-b\n     continued\n- three\n\n1. first\n\n   more of first\n2. second\n",
			want: []seg{
				{Kind: KindTitle, Text: "T"},
				{Kind: KindListItem, List: 1, Text: "one"},
				{Kind: KindListItem, List: 1, Text: "two *x*"},
				{Kind: KindListItem, List: 2, Ordered: true, Text: "two-a"},
				{Kind: KindListItem, List: 2, Ordered: true, Text: "two-b continued"},
				{Kind: KindListItem, List: 1, Text: "three"},
				{Kind: KindListItem, List: 3, Ordered: true, Text: "first more of first"},
				{Kind: KindListItem, List: 3, Ordered: true, Text: "second"},
			},
		},
		{
			name: "blockquote, thematic break, hard breaks",
			in:   "# T\n\n> Quoted\n> text.\n>\n> Second quote.\n\n---\n\nHard\\\nbreak and  \ntwo spaces.\n",
			want: []seg{
				{Kind: KindTitle, Text: "T"},
				{Kind: KindParagraph, Text: "Quoted text."},
				{Kind: KindParagraph, Text: "Second quote."},
				{Kind: KindParagraph, Text: "Hard break and two spaces."},
			},
		},
		{
			name: "front matter title makes the first heading a heading",
			in:   "---\ntitle: Front Title\nsummary: One line summary.\n---\n# Big heading\n\nBody.\n",
			want: []seg{
				{Kind: KindTitle, Text: "Front Title"},
				{Kind: KindSummary, Text: "One line summary."},
				{Kind: KindHeading, Level: 1, Text: "Big heading"},
				{Kind: KindParagraph, Text: "Body."},
			},
		},
		{
			name: "a level-1 heading later is not the title",
			in:   "---\ntitle: T\n---\nIntro.\n\n# Later\n",
			want: []seg{
				{Kind: KindTitle, Text: "T"},
				{Kind: KindParagraph, Text: "Intro."},
				{Kind: KindHeading, Level: 1, Text: "Later"},
			},
		},
		{
			name: "CRLF and BOM",
			in:   "\ufeff---\r\ntitle: T\r\n---\r\nLine one\r\nline two\r\n",
			want: []seg{
				{Kind: KindTitle, Text: "T"},
				{Kind: KindParagraph, Text: "Line one line two"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseMarkdown("r.md", []byte(tt.in), Options{})
			if err != nil {
				t.Fatalf("ParseMarkdown: %v", err)
			}
			got := segsOf(r)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d segments %+v, want %d %+v", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("segment %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
			if r.Format != FormatMarkdown {
				t.Errorf("format = %q", r.Format)
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts Options
		want Report // Segments ignored
	}{
		{
			name: "all fields, unquoted date, target list",
			in:   "---\ntitle: \"Side event: Geneva\"\nslug: side-event\ndate: 2024-01-23\nsource: en\ntargets: [fr, ZH-hans, ar]\nsummary: Held in Geneva.\n---\nBody.\n",
			want: Report{Slug: "side-event", Date: "2024-01-23", Source: "en", Targets: []string{"fr", "zh-Hans", "ar"}},
		},
		{
			name: "quoted date, comma-separated targets, locale alias, derived slug",
			in:   "---\ntitle: Réunion à l'ONU — Genève\ndate: \"2024-02-29\"\nlocale: fr-fr\ntargets: \"en, es ,ru\"\n---\nCorps.\n",
			want: Report{Slug: "reunion-a-lonu-geneve", Date: "2024-02-29", Source: "fr-FR", Targets: []string{"en", "es", "ru"}},
		},
		{
			name: "block list of targets and comments",
			in:   "---\n# a comment\ntitle: T\ntargets:\n  - ar\n  - zh-Hans\n---\nBody.\n",
			want: Report{Slug: "t", Source: "en", Targets: []string{"ar", "zh-Hans"}},
		},
		{
			name: "options override slug, source and targets; file date wins",
			in:   "---\ntitle: T\nslug: file-slug\nsource: de\ndate: 2024-01-01\ntargets: [fr]\n---\nBody.\n",
			opts: Options{Slug: "flag-slug", Source: "en-GB", Targets: []string{"es", "pt-BR"}, Date: "2025-05-05"},
			want: Report{Slug: "flag-slug", Date: "2024-01-01", Source: "en-GB", Targets: []string{"es", "pt-BR"}},
		},
		{
			name: "options complete what is missing",
			in:   "# T\n\nBody.\n",
			opts: Options{Date: "2025-05-05"},
			want: Report{Slug: "t", Date: "2025-05-05", Source: "en"},
		},
		{
			name: "empty front matter and empty targets",
			in:   "---\n---\n# Only Heading Title\n\nBody.\n",
			opts: Options{Targets: []string{}},
			want: Report{Slug: "only-heading-title", Source: "en"},
		},
		{
			name: "markdown in front matter title is not in the slug",
			in:   "---\ntitle: The *UPR* and [OHCHR](https://www.ohchr.org)\n---\nBody.\n",
			want: Report{Slug: "the-upr-and-ohchr", Source: "en"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("r.md", []byte(tt.in), tt.opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if r.Slug != tt.want.Slug || r.Date != tt.want.Date || r.Source != tt.want.Source ||
				strings.Join(r.Targets, ",") != strings.Join(tt.want.Targets, ",") {
				t.Errorf("got slug %q date %q source %q targets %q\nwant slug %q date %q source %q targets %q",
					r.Slug, r.Date, r.Source, r.Targets, tt.want.Slug, tt.want.Date, tt.want.Source, tt.want.Targets)
			}
		})
	}
	r, err := Parse("r.md", []byte(tests[0].in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Title() != "Side event: Geneva" || r.Summary() != "Held in Geneva." {
		t.Errorf("title %q summary %q", r.Title(), r.Summary())
	}
}

func TestParseDispatch(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           Format
	}{
		{"md extension", "a.md", "Title\n\nBody *x*\n", FormatMarkdown},
		{"markdown extension", "dir/A.MARKDOWN", "# Title\n\nBody\n", FormatMarkdown},
		{"front matter in .txt", "a.txt", "---\ntitle: T\n---\nBody\n", FormatMarkdown},
		{"plain text", "a.txt", "# Title\n\nBody\n", FormatText},
		{"no extension", "report", "Title\n\nBody\n", FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.file, []byte(tt.in), Options{})
			if tt.file == "a.md" {
				// Markdown without front matter or leading heading has no title.
				if err == nil || !strings.Contains(err.Error(), "no title") {
					t.Fatalf("err = %v, want no title", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if r.Format != tt.want {
				t.Errorf("format = %q, want %q", r.Format, tt.want)
			}
		})
	}
}
