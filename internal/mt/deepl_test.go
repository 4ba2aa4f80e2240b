package mt

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pressroom/pressroom/internal/report"
)

// fakeDeepL speaks DeepL API v2's POST /v2/translate as documented: JSON
// body {"text": [...], "source_lang", "target_lang", "tag_handling",
// "formality"}, header "Authorization: DeepL-Auth-Key KEY", answer
// {"translations": [{"detected_source_language", "text"}]}. Its
// "translation" upper-cases text outside tags; trigger words misbehave.
type fakeDeepL struct {
	t      *testing.T
	key    string
	mu     sync.Mutex
	bodies []deeplRequest
	sizes  []int
	status int    // if set, every request fails with it
	msg    string // and this message
}

func (f *fakeDeepL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v2/translate" {
		f.t.Errorf("%s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if got := r.Header.Get("Authorization"); got != "DeepL-Auth-Key "+f.key {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Wrong endpoint. Use https://api.deepl.com"}`)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("Content-Type %q", ct)
	}
	raw, _ := io.ReadAll(r.Body)
	var body deeplRequest
	if err := json.Unmarshal(raw, &body); err != nil {
		f.t.Errorf("body %q: %v", raw, err)
	}
	f.mu.Lock()
	f.bodies = append(f.bodies, body)
	f.sizes = append(f.sizes, len(raw))
	status, msg := f.status, f.msg
	f.mu.Unlock()
	// DeepL's documented limits.
	if len(raw) > deeplMaxBody {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		fmt.Fprint(w, `{"message":"Request Entity Too Large"}`)
		return
	}
	if len(body.Text) > deeplMaxTexts {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"message":"Too many texts"}`)
		return
	}
	if status != 0 {
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"message":%q}`, msg)
		return
	}
	if body.TagHandling != "xml" {
		f.t.Errorf("tag_handling %q", body.TagHandling)
	}
	if body.TargetLang == "XX" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"message":"Value for 'target_lang' not supported."}`)
		return
	}
	type tr struct {
		Lang string `json:"detected_source_language"`
		Text string `json:"text"`
	}
	var out struct {
		Translations []tr `json:"translations"`
	}
	for _, text := range body.Text {
		if strings.Contains(text, "POISON") {
			// A text the service refuses: the whole request fails.
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"message":"Bad request","detail":"Invalid text"}`)
			return
		}
		if strings.Contains(text, "DROPTOKEN") {
			text = reToken.ReplaceAllString(text, "")
		}
		out.Translations = append(out.Translations, tr{"EN", upperOutsideTags(text)})
	}
	writeJSON(w, out)
}

func TestDeepL(t *testing.T) {
	f := &fakeDeepL{t: t, key: "secret-key"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	d := NewDeepL(srv.URL+"/v2/", "secret-key", nil)
	d.Formality = "prefer_more"
	ctx := context.Background()

	t.Run("request shape and markup", func(t *testing.T) {
		f.bodies = nil
		res, err := d.Translate(ctx, Request{Source: "en", Target: "pt-BR", Format: report.FormatMarkdown,
			Segments: segs(issueSentence, "Tom & Jerry <b>now</b>", "   ")})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.bodies) != 1 {
			t.Fatalf("%d requests", len(f.bodies))
		}
		b := f.bodies[0]
		if b.SourceLang != "EN" || b.TargetLang != "PT-BR" || b.TagHandling != "xml" || b.Formality != "prefer_more" {
			t.Errorf("body %+v", b)
		}
		if len(b.Text) != 2 || b.Text[1] != `Tom &amp; Jerry <x id="1"/>now<x id="2"/>` {
			t.Errorf("texts %q", b.Text)
		}
		if want := "VISIT **OUR** [WEBSITE](https://example.org/a?b=1) BEFORE {{.Date}}: 3,500 PEOPLE CAME."; res[0].Text != want || res[0].Provenance != "mt:deepl" {
			t.Errorf("got %+v", res[0])
		}
		if res[1].Text != "TOM & JERRY <b>NOW</b>" || res[2].Text != "   " {
			t.Errorf("got %+v %+v", res[1], res[2])
		}
	})

	t.Run("batches within 50 texts and 128 KiB", func(t *testing.T) {
		f.bodies, f.sizes = nil, nil
		texts := paragraphs(120)
		// Ten segments of 30 KB: four fit in one body at most.
		for i := 0; i < 10; i++ {
			texts = append(texts, strings.TrimSpace(strings.Repeat(fmt.Sprintf("Sentence %d of a very long paragraph. ", i), 800)))
		}
		res, err := d.Translate(ctx, Request{Source: "en", Target: "fr", Segments: segs(texts...)})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Err != nil || r.Text != upperMasked(texts[i]) {
				t.Fatalf("segment %d: %v %.80q", i, r.Err, r.Text)
			}
		}
		n := 0
		for i, b := range f.bodies {
			n += len(b.Text)
			if len(b.Text) > deeplMaxTexts || f.sizes[i] > deeplMaxBody {
				t.Errorf("request %d: %d texts, %d bytes", i, len(b.Text), f.sizes[i])
			}
		}
		if n != 130 || len(f.bodies) < 5 {
			t.Errorf("%d texts in %d requests", n, len(f.bodies))
		}
		t.Logf("130 segments (300 KB) in %d requests", len(f.bodies))
	})

	t.Run("one failing segment does not lose the others", func(t *testing.T) {
		f.bodies = nil
		res, err := d.Translate(ctx, Request{Source: "en", Target: "de", Format: report.FormatMarkdown,
			Segments: segs("one {{.A}}", "two POISON", "three DROPTOKEN {{.B}}", "four")})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Text != "ONE {{.A}}" || res[3].Text != "FOUR" || res[0].Err != nil || res[3].Err != nil {
			t.Errorf("good segments: %+v %+v", res[0], res[3])
		}
		if _, ok := errorsAs[*RequestError](res[1].Err); !ok || IsTransient(res[1].Err) {
			t.Errorf("refused segment: %v", res[1].Err)
		}
		if res[2].Err == nil || !strings.Contains(res[2].Err.Error(), "{{.B}}") {
			t.Errorf("token lost: %v", res[2].Err)
		}
		// The refused request was resent text by text.
		if len(f.bodies) != 1+4 {
			t.Errorf("%d requests", len(f.bodies))
		}
	})

	t.Run("errors", func(t *testing.T) {
		req := Request{Source: "en", Target: "es", Segments: segs("hello")}
		for _, c := range []struct {
			status                   int
			transient, unsupp, quota bool
		}{
			{429, true, false, false},
			{500, true, false, false},
			{503, true, false, false},
			{529, true, false, false},
			{456, false, false, true},
			{403, false, false, false},
		} {
			f.status, f.msg = c.status, "failure"
			_, err := d.Translate(ctx, req)
			if err == nil || IsTransient(err) != c.transient || IsUnsupportedPair(err) != c.unsupp {
				t.Errorf("HTTP %d: %v", c.status, err)
			}
			if c.quota && !strings.Contains(err.Error(), "quota") {
				t.Errorf("HTTP 456: %v", err)
			}
		}
		f.status = 0
		_, err := d.Translate(ctx, Request{Source: "en", Target: "xx", Segments: segs("hello")})
		if !IsUnsupportedPair(err) || !strings.Contains(err.Error(), "target_lang") {
			t.Errorf("unsupported: %v", err)
		}
		bad := NewDeepL(srv.URL, "wrong", nil)
		if _, err := bad.Translate(ctx, req); err == nil || IsTransient(err) || !strings.Contains(err.Error(), "PRESSROOM_DEEPL_KEY") {
			t.Errorf("bad key: %v", err)
		}
	})
}

func TestDeepLEndpointAndCodes(t *testing.T) {
	if d := NewDeepL("", "abc:fx", nil); d.baseURL != DeepLFreeURL {
		t.Errorf("free key → %s", d.baseURL)
	}
	if d := NewDeepL("", "abc", nil); d.baseURL != DeepLProURL {
		t.Errorf("pro key → %s", d.baseURL)
	}
	for tag, want := range map[string]string{
		"en": "EN-GB", "en-GB": "EN-GB", "en-US": "EN-US", "pt": "PT-BR", "pt-BR": "PT-BR", "pt-PT": "PT-PT",
		"zh": "ZH-HANS", "zh-Hans": "ZH-HANS", "zh-CN": "ZH-HANS", "zh-Hant": "ZH-HANT", "zh-TW": "ZH-HANT",
		"fr": "FR", "ar": "AR", "ru": "RU", "es": "ES", "es-419": "ES", "nb": "NB",
	} {
		if got := deeplTarget(tag); got != want {
			t.Errorf("deeplTarget(%s) = %s, want %s", tag, got, want)
		}
	}
	if deeplSource("zh-Hant") != "ZH" || deeplSource("en-US") != "EN" {
		t.Error("source codes")
	}
}
