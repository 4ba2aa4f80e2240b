package preview

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
)

// countingDrafts holds content-addressed objects and counts the reads.
type countingDrafts struct {
	objects map[string][]byte
	reads   []string
}

func (d *countingDrafts) GetVerified(_ context.Context, key, sha string) ([]byte, error) {
	d.reads = append(d.reads, key)
	b, ok := d.objects[key]
	if !ok {
		return nil, fmt.Errorf("%s: %w", key, store.ErrNotFound)
	}
	if store.SHA256(b) != sha {
		return nil, fmt.Errorf("%s does not match its sha256", key)
	}
	return b, nil
}

// Issue 10 review: an unauthenticated preview view reads the source and
// the requested locale's draft only, however many locales the link has;
// the language switcher still offers every one.
func TestPageReadsOnlyTheRequestedDraft(t *testing.T) {
	const slug = "many-locales"
	targets := []string{"fr", "ar", "zh-Hans", "de", "es"}
	src, err := report.Parse(slug+".md", []byte("---\ntitle: Many locales\nslug: "+slug+"\n---\n\nOne paragraph.\n"), report.Options{Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	d := &countingDrafts{objects: map[string][]byte{}}
	sb, _ := json.Marshal(src)
	srcSHA := store.SHA256(sb)
	d.objects[store.SourceKey(slug, srcSHA)] = sb
	c := Claims{ID: NewID(), Slug: slug, Locales: append([]string{"en"}, targets...), Source: srcSHA, Drafts: map[string]string{},
		Expires: time.Now().Add(time.Hour).Unix(), By: "edith"}
	for _, l := range targets {
		tr := report.Translation{Slug: slug, Source: "en", Locale: l, SourceSHA256: srcSHA}
		for _, s := range src.Segments {
			tr.Segments = append(tr.Segments, report.TranslatedSegment{ID: s.ID, Text: "[" + l + "] " + s.Text})
		}
		b, _ := json.Marshal(tr)
		c.Drafts[l] = store.SHA256(b)
		d.objects[store.DraftKey(slug, srcSHA, l, c.Drafts[l])] = b
	}
	for _, l := range []string{"ar", "en"} {
		d.reads = nil
		page, err := Page(context.Background(), d, c, l, slug)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		want := 2
		if l == "en" {
			want = 1
		}
		if len(d.reads) != want {
			t.Errorf("%s page read %d objects, want %d: %v", l, len(d.reads), want, d.reads)
		}
		if l == "ar" && !strings.Contains(string(page), "[ar] One paragraph.") {
			t.Errorf("ar page lacks the ar draft's text")
		}
		for _, other := range c.Locales {
			if !strings.Contains(string(page), `hreflang="`+other+`"`) {
				t.Errorf("%s page's language switcher lacks %s", l, other)
			}
		}
	}
}
