package report

import (
	"os"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/testseed"
)

func TestParseTextSeed(t *testing.T) {
	seedPath := testseed.Path(t, testseed.Report)
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	r, err := ParseText(seedPath, data, Options{Targets: []string{"fr", "zh-Hans"}})
	if err != nil {
		t.Fatalf("ParseText: %v", err)
	}
	wantTitle := "“Global Human Rights Governance and China's Experience”------ Side-event of the 45th Session of the Working Group on the Universal Periodic Review Successfully Held"
	if got := r.Title(); got != wantTitle {
		t.Errorf("title = %q, want %q", got, wantTitle)
	}
	var paras []Segment
	for _, s := range r.Segments {
		for _, chrome := range []string{"size: A A A", "Back to list"} {
			if strings.Contains(s.Text, chrome) {
				t.Errorf("segment %s contains site chrome %q", s.ID, chrome)
			}
		}
		if s.Kind == KindParagraph {
			paras = append(paras, s)
		}
	}
	if len(paras) != 3 || len(r.Segments) != 4 {
		t.Fatalf("got %d paragraphs in %d segments, want 3 in 4", len(paras), len(r.Segments))
	}
	if !strings.HasPrefix(paras[0].Text, "On January 23, 2024, United Nations Association of China") {
		t.Errorf("first paragraph starts %.60q", paras[0].Text)
	}
	if last := paras[2].Text; !strings.HasSuffix(last, "human rights governance.") {
		t.Errorf("last paragraph ends %q, want suffix %q", last[max(0, len(last)-60):], "human rights governance.")
	}
	if r.Format != FormatText || r.Source != "en" || r.Summary() != "" {
		t.Errorf("format %q source %q summary %q", r.Format, r.Source, r.Summary())
	}
	if strings.Join(r.Targets, ",") != "fr,zh-Hans" {
		t.Errorf("targets = %v", r.Targets)
	}
	if err := ValidSlug(r.Slug); err != nil || !strings.HasPrefix(r.Slug, "global-human-rights-governance-and-chinas-experience-side-event-") {
		t.Errorf("slug = %q (%v)", r.Slug, err)
	}
	// Parse picks plain text for a .txt name without front matter.
	r2, err := Parse(seedPath, data, Options{Targets: []string{"fr", "zh-Hans"}})
	if err != nil || r2.SHA256() != r.SHA256() {
		t.Errorf("Parse differs from ParseText: %v", err)
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		name, in string
		title    string
		paras    []string
	}{
		{
			name:  "CRLF and BOM",
			in:    "\ufeffA Title\r\n\r\nFirst line\r\nsecond line\r\n\r\nNext paragraph.\r\nBack to list",
			title: "A Title",
			paras: []string{"First line second line", "Next paragraph."},
		},
		{
			name:  "chrome anywhere, any case and spacing",
			in:    "\n\n  size: A A A\nTitle here\nSIZE:a  a a\nOne\n  back to   LIST  \nTwo\n\n\n",
			title: "Title here",
			paras: []string{"One", "Two"},
		},
		{
			name:  "markup is literal",
			in:    "T\n\n*not emphasis* [x](y)\n",
			title: "T",
			paras: []string{"*not emphasis* [x](y)"},
		},
		{
			name:  "front matter in plain text",
			in:    "---\ntitle: From front matter\nslug: fm-slug\n---\nFirst line is body\n\nSecond.\n",
			title: "From front matter",
			paras: []string{"First line is body", "Second."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseText("r.txt", []byte(tt.in), Options{})
			if err != nil {
				t.Fatalf("ParseText: %v", err)
			}
			if r.Title() != tt.title {
				t.Errorf("title = %q, want %q", r.Title(), tt.title)
			}
			var got []string
			for _, s := range r.Segments[1:] {
				if s.Kind != KindParagraph {
					t.Errorf("segment %s has kind %s", s.ID, s.Kind)
				}
				got = append(got, s.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.paras, "|") {
				t.Errorf("paragraphs = %q, want %q", got, tt.paras)
			}
		})
	}
}
