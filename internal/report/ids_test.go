package report

import (
	"regexp"
	"strings"
	"testing"
)

func idsByText(t *testing.T, doc string) (*Report, map[string]string) {
	t.Helper()
	r, err := ParseMarkdown("r.md", []byte(doc), Options{})
	if err != nil {
		t.Fatalf("ParseMarkdown: %v", err)
	}
	m := map[string]string{}
	for _, s := range r.Segments {
		m[s.Text] = s.ID
	}
	return r, m
}

func TestSegmentIDStability(t *testing.T) {
	blocks := []string{
		"# Side event in Geneva",
		"## Opening",
		"Para A with *emphasis*.",
		"Para B.",
		"- item one\n- item two",
		"Para C with [a link](https://example.org).",
		"Para D.",
	}
	join := func(bs []string) string { return strings.Join(bs, "\n\n") + "\n" }
	base, baseIDs := idsByText(t, join(blocks))

	idRE := regexp.MustCompile(`^(title|summary|(h|p|li)-[0-9a-f]{10}(-[0-9]+)?)$`)
	for _, s := range base.Segments {
		if !idRE.MatchString(s.ID) {
			t.Errorf("ID %q does not follow the scheme", s.ID)
		}
	}
	if got := base.SegmentIDs(); len(got) != 8 || got[0] != "title" || !strings.HasPrefix(got[1], "h-") || !strings.HasPrefix(got[4], "li-") {
		t.Errorf("SegmentIDs = %q", got)
	}

	insert := append(append(append([]string{}, blocks[:4]...), "A brand new paragraph."), blocks[4:]...)
	remove := append(append([]string{}, blocks[:3]...), blocks[4:]...)
	edit := append([]string{}, blocks...)
	edit[5] = "Para C, reworded."
	tests := []struct {
		name    string
		blocks  []string
		changed string // text in the variant whose ID is new
		gone    string // base text no longer present
	}{
		{"insert a paragraph", insert, "A brand new paragraph.", ""},
		{"remove a paragraph", remove, "", "Para B."},
		{"edit a paragraph", edit, "Para C, reworded.", "Para C with [a link](https://example.org)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := idsByText(t, join(tt.blocks))
			for _, s := range r.Segments {
				if s.Text == tt.changed {
					for _, old := range baseIDs {
						if old == s.ID {
							t.Errorf("new text reuses ID %s", s.ID)
						}
					}
					continue
				}
				want, ok := baseIDs[s.Text]
				if !ok {
					t.Fatalf("unexpected segment %q", s.Text)
				}
				if s.ID != want {
					t.Errorf("ID of %q changed from %s to %s", s.Text, want, s.ID)
				}
			}
			if tt.gone != "" {
				if _, ok := r.Segment(baseIDs[tt.gone]); ok {
					t.Errorf("segment %q still present", tt.gone)
				}
			}
		})
	}
}

func TestDuplicateSegmentIDs(t *testing.T) {
	r, err := ParseMarkdown("r.md", []byte("# T\n\nSame.\n\nOther.\n\nSame.\n\n- Same.\n\nSame.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ids := r.SegmentIDs()
	p, li := ids[1], ids[4]
	want := []string{"title", p, ids[2], p + "-2", li, p + "-3"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("IDs = %q, want %q", ids, want)
	}
	if !strings.HasPrefix(li, "li-") || li[3:] != p[2:] {
		t.Errorf("list item with the same text: %s vs %s", li, p)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("duplicate ID %s", id)
		}
		seen[id] = true
	}
	s, ok := r.Segment(p + "-2")
	if !ok || s.Text != "Same." || s.Kind != KindParagraph {
		t.Errorf("Segment(%s) = %+v, %v", p+"-2", s, ok)
	}
	if _, ok := r.Segment("nope"); ok {
		t.Errorf("Segment(nope) found")
	}
}
