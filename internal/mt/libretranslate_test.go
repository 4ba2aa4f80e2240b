package mt

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/pressroom/pressroom/internal/report"
)

// fakeLibre speaks LibreTranslate's API as documented: GET /languages
// ([{"code", "name", "targets"}]), GET /frontend/settings ({"charLimit"}),
// POST /translate with JSON {"q": [...], "source", "target", "format",
// "api_key"} answering {"translatedText": [...]} or {"error": "..."}. Like
// the real server it unescapes HTML entities in what it returns.
type fakeLibre struct {
	t         *testing.T
	charLimit int
	mu        sync.Mutex
	calls     map[string]int
	bodies    []map[string]any
	status    int
}

func (f *fakeLibre) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls[r.Method+" "+r.URL.Path]++
	status := f.status
	f.mu.Unlock()
	switch r.Method + " " + r.URL.Path {
	case "GET /languages":
		fmt.Fprint(w, `[{"code":"en","name":"English","targets":["ar","es","fr","zh-Hans","en"]},{"code":"es","name":"Spanish","targets":["en"]}]`)
	case "GET /frontend/settings":
		fmt.Fprintf(w, `{"charLimit":%d,"frontendTimeout":500,"apiKeys":true,"keyRequired":true}`, f.charLimit)
	case "POST /translate":
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			f.t.Errorf("Content-Type %q", ct)
		}
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			// Not Fatal: this runs on the server's goroutine, not the test's.
			f.t.Errorf("body %q: %v", raw, err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.bodies = append(f.bodies, body)
		f.mu.Unlock()
		if body["api_key"] != "lt-key" {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"error":"Invalid API key"}`)
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"error":"Slowdown: 30 per 1 minute"}`)
			return
		}
		if body["format"] != "html" || body["source"] != "en" {
			f.t.Errorf("body %v", body)
		}
		q, _ := body["q"].([]any)
		chars := 0
		for _, t := range q {
			chars += utf8.RuneCountInString(t.(string))
		}
		if f.charLimit > 0 && chars > f.charLimit {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"Invalid request: request (%d) exceeds text limit (%d)"}`, chars, f.charLimit)
			return
		}
		var out []string
		for _, t := range q {
			s := t.(string)
			if strings.Contains(s, "POISON") {
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `{"error":"Cannot translate text: index out of range"}`)
				return
			}
			if strings.Contains(s, "MANGLE") {
				s = strings.Replace(s, `<x id="1"/>`, `<x id="1">`, 1) + "</x><x"
			}
			out = append(out, html.UnescapeString(upperOutsideTags(s)))
		}
		writeJSON(w, map[string]any{"translatedText": out})
	default:
		http.NotFound(w, r)
	}
}

func TestLibreTranslate(t *testing.T) {
	f := &fakeLibre{t: t, charLimit: 500, calls: map[string]int{}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	l := NewLibreTranslate(srv.URL, "lt-key", nil)
	ctx := context.Background()

	texts := append([]string{issueSentence, "Fish & chips < 3 > 2 and &copy"}, paragraphs(40)...)
	res, err := l.Translate(ctx, Request{Source: "en", Target: "es", Format: report.FormatMarkdown, Segments: segs(texts...)})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Text != "VISIT **OUR** [WEBSITE](https://example.org/a?b=1) BEFORE {{.Date}}: 3,500 PEOPLE CAME." || res[0].Provenance != "mt:libretranslate" {
		t.Errorf("markup: %+v", res[0])
	}
	// Its own unescaping is not done twice: "&copy" without ";" stays text.
	if res[1].Text != "FISH & CHIPS < 3 > 2 AND &COPY" {
		t.Errorf("escaping: %q", res[1].Text)
	}
	for i, r := range res[2:] {
		if r.Err != nil || r.Text != upperMasked(texts[i+2]) {
			t.Fatalf("segment %d: %+v", i+2, r)
		}
	}
	for _, b := range f.bodies {
		q := b["q"].([]any)
		chars := 0
		for _, s := range q {
			chars += utf8.RuneCountInString(s.(string))
		}
		if chars > 500 || len(q) > libreMaxTexts {
			t.Errorf("request with %d texts, %d characters", len(q), chars)
		}
		if b["target"] != "es" {
			t.Errorf("target %v", b["target"])
		}
	}
	if len(f.bodies) < 5 {
		t.Errorf("%d requests for 42 segments within 500 characters", len(f.bodies))
	}

	// zh-Hans is the server's code for Chinese; the pair is looked up once.
	f.bodies = nil
	if _, err := l.Translate(ctx, Request{Source: "en", Target: "zh-CN", Segments: segs("hello")}); err != nil || f.bodies[0]["target"] != "zh-Hans" {
		t.Errorf("zh: %v %v", err, f.bodies)
	}
	if f.calls["GET /languages"] != 1 || f.calls["GET /frontend/settings"] != 1 {
		t.Errorf("calls %v", f.calls)
	}

	// Unsupported pair: refused before any request.
	f.bodies = nil
	_, err = l.Translate(ctx, Request{Source: "es", Target: "fr", Segments: segs("hola")})
	if !IsUnsupportedPair(err) || !strings.Contains(err.Error(), "libretranslate at "+srv.URL+" cannot translate es to fr") || len(f.bodies) != 0 {
		t.Errorf("es→fr: %v", err)
	}

	// A mangled token fails only its segment.
	res, err = l.Translate(ctx, Request{Source: "en", Target: "fr", Format: report.FormatMarkdown, Segments: segs("one **x**", "two MANGLE **y**", "three")})
	if err != nil || res[0].Err != nil || res[2].Err != nil || res[1].Err == nil {
		t.Errorf("mangled: %+v, %v", res, err)
	}

	// A server error is transient and fails the whole call: the caller retries.
	_, err = l.Translate(ctx, Request{Source: "en", Target: "fr", Segments: segs("one", "POISON")})
	if !IsTransient(err) {
		t.Errorf("500: %v", err)
	}
	f.status = http.StatusTooManyRequests
	if _, err = l.Translate(ctx, Request{Source: "en", Target: "fr", Segments: segs("one")}); !IsTransient(err) {
		t.Errorf("429: %v", err)
	}
	f.status = 0
	bad := NewLibreTranslate(srv.URL, "wrong", nil)
	if _, err := bad.Translate(ctx, Request{Source: "en", Target: "fr", Segments: segs("one")}); err == nil || IsTransient(err) || !strings.Contains(err.Error(), "PRESSROOM_LIBRETRANSLATE_KEY") {
		t.Errorf("bad key: %v", err)
	}
}

// A server with a smaller batch limit than ours refuses the batch with a
// 400; the segments are then sent one by one.
func TestLibreTranslateRefusedBatch(t *testing.T) {
	var mu sync.Mutex
	var sizes []int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/languages":
			fmt.Fprint(w, `[{"code":"en","name":"English","targets":["fr"]}]`)
		case "/frontend/settings":
			http.NotFound(w, r) // an older server
		case "/translate":
			var body struct {
				Q []string `json:"q"`
			}
			json.NewDecoder(r.Body).Decode(&body)
			mu.Lock()
			sizes = append(sizes, len(body.Q))
			mu.Unlock()
			if len(body.Q) > 2 {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"error":"Invalid request: request (%d) exceeds text limit (2)"}`, len(body.Q))
				return
			}
			writeJSON(w, map[string]any{"translatedText": body.Q})
		}
	}))
	defer srv.Close()
	l := NewLibreTranslate(srv.URL, "", nil)
	res, err := l.Translate(context.Background(), Request{Source: "en", Target: "fr", Segments: segs("a", "b", "c", "d")})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Err != nil || r.Text != string(rune('a'+i)) {
			t.Errorf("%d: %+v", i, r)
		}
	}
	if fmt.Sprint(sizes) != "[4 1 1 1 1]" {
		t.Errorf("request sizes %v", sizes)
	}
	if l.charLimit != libreDefaultChars {
		t.Errorf("charLimit %d without /frontend/settings", l.charLimit)
	}
}
