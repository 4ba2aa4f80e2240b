package mt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pressroom/pressroom/internal/report"
)

// fake is a scripted Provider for router logic tests.
type fake struct {
	name        string
	unsupported bool            // every pair unsupported
	batchErr    error           // whole-batch failure
	failIDs     map[string]bool // per-segment failures
	wrongCount  bool            // returns one result too few (a buggy provider)

	mu    sync.Mutex
	calls [][]string // segment IDs per call
}

func (f *fake) Name() string { return f.name }

func (f *fake) Translate(ctx context.Context, req Request) ([]Result, error) {
	f.mu.Lock()
	var ids []string
	for _, s := range req.Segments {
		ids = append(ids, s.ID)
	}
	f.calls = append(f.calls, ids)
	f.mu.Unlock()
	if f.unsupported {
		return nil, &UnsupportedPairError{Provider: f.name, Source: req.Source, Target: req.Target}
	}
	if f.batchErr != nil {
		return nil, f.batchErr
	}
	var out []Result
	for _, s := range req.Segments {
		if f.failIDs[s.ID] {
			out = append(out, Result{ID: s.ID, Err: fmt.Errorf("%s cannot do %s", f.name, s.ID)})
			continue
		}
		out = append(out, Result{ID: s.ID, Text: f.name + ":" + s.Text, Provenance: "mt:" + f.name})
	}
	if f.wrongCount {
		out = out[:len(out)-1]
	}
	return out, nil
}

func req(target string, ids ...string) Request {
	r := Request{Source: "en", Target: target, Format: report.FormatText}
	for _, id := range ids {
		r.Segments = append(r.Segments, Segment{ID: id, Text: "t" + id})
	}
	return r
}

func TestRouterFallsBackPerSegment(t *testing.T) {
	a := &fake{name: "a", failIDs: map[string]bool{"2": true, "4": true}}
	b := &fake{name: "b", failIDs: map[string]bool{"4": true}}
	r := NewRouter(map[string][]Provider{"fr": {a, b}}, nil)
	res, err := r.Translate(context.Background(), req("fr", "1", "2", "3", "4"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ id, text, prov string }{{"1", "a:t1", "mt:a"}, {"2", "b:t2", "mt:b"}, {"3", "a:t3", "mt:a"}, {"4", "", ""}}
	for i, w := range want {
		if res[i].ID != w.id || res[i].Text != w.text || res[i].Provenance != w.prov {
			t.Errorf("result %d = %+v, want %+v", i, res[i], w)
		}
	}
	for i := 0; i < 3; i++ {
		if res[i].Err != nil {
			t.Errorf("result %d: %v", i, res[i].Err)
		}
	}
	if res[3].Err == nil || !strings.Contains(res[3].Err.Error(), "a cannot do 4") || !strings.Contains(res[3].Err.Error(), "b cannot do 4") {
		t.Errorf("failed segment error %v should name every attempt", res[3].Err)
	}
	// b only saw what a failed.
	if fmt.Sprint(b.calls) != "[[2 4]]" {
		t.Errorf("b called with %v", b.calls)
	}
}

func TestRouterBatchErrorFallsBack(t *testing.T) {
	a := &fake{name: "a", batchErr: errors.New("connection refused")}
	w := &fake{name: "w", wrongCount: true}
	b := &fake{name: "b"}
	r := NewRouter(map[string][]Provider{"es": {a, w, b}}, nil)
	res, err := r.Translate(context.Background(), req("es", "x", "y"))
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Text != "b:tx" || res[1].Text != "b:ty" {
		t.Errorf("got %+v", res)
	}
}

func TestRouterStopsOnCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	a := &fake{name: "a", batchErr: context.Canceled}
	b := &fake{name: "b"}
	r := NewRouter(map[string][]Provider{"es": {a, b}}, nil)
	cancel()
	if _, err := r.Translate(ctx, req("es", "x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(b.calls) != 0 {
		t.Error("fell back after cancellation")
	}
	// A provider's own timeout (our context still live) is just a failure.
	a.batchErr = context.DeadlineExceeded
	res, err := r.Translate(context.Background(), req("es", "x"))
	if err != nil || res[0].Text != "b:tx" {
		t.Errorf("got %+v, %v", res, err)
	}
}

func TestRouterUnsupportedPair(t *testing.T) {
	a := &fake{name: "a", unsupported: true}
	b := &fake{name: "b", unsupported: true}
	r := NewRouter(map[string][]Provider{"ja": {a, b}}, nil)
	_, err := r.Translate(context.Background(), req("ja", "1"))
	var u *UnsupportedPairError
	if !errors.As(err, &u) || u.Source != "en" || u.Target != "ja" || u.Provider != "a|b" {
		t.Fatalf("err = %#v", err)
	}
	// One unsupported, one failing on a segment: a result with Err, not a chain error.
	c := &fake{name: "c", failIDs: map[string]bool{"1": true}}
	r = NewRouter(map[string][]Provider{"ja": {a, c}}, nil)
	res, err := r.Translate(context.Background(), req("ja", "1", "2"))
	if err != nil || res[0].Err == nil || res[1].Text != "c:t2" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if IsUnsupportedPair(res[0].Err) || !strings.Contains(res[0].Err.Error(), "a cannot translate en to ja") {
		t.Errorf("segment error %v: should mention but not wrap the unsupported pair", res[0].Err)
	}
	// No chain for the locale and no default.
	_, err = r.Translate(context.Background(), req("de", "1"))
	if !IsUnsupportedPair(err) {
		t.Errorf("unrouted locale: %v", err)
	}
}

func TestRouterChainSelection(t *testing.T) {
	es := &fake{name: "es"}
	zh := &fake{name: "zh"}
	def := &fake{name: "def"}
	r := NewRouter(map[string][]Provider{"es": {es}, "zh-hans": {zh}}, []Provider{def})
	for target, want := range map[string]string{
		"es": "es", "es-MX": "es", "ES-419": "es", "zh": "zh", "zh-Hans": "zh", "zh-Hans-CN": "zh", "zh-CN": "zh",
		"zh-Hant": "def", "zh-TW": "def", "fr": "def", "ar": "def", "not a tag": "def",
	} {
		res, err := r.Translate(context.Background(), req(target, "1"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.SplitN(res[0].Text, ":", 2)[0]; got != want {
			t.Errorf("%s served by %s, want %s", target, got, want)
		}
	}
	// Explicit regions and scripts are kept apart.
	br, latn := &fake{name: "br"}, &fake{name: "latn"}
	r = NewRouter(map[string][]Provider{"pt-BR": {br}, "sr-Latn": {latn}, "es-419": {es}}, []Provider{def})
	for target, want := range map[string]string{"pt-BR": "br", "pt": "def", "pt-PT": "def", "sr-Latn-RS": "latn", "sr": "def", "es-MX": "es", "es": "def"} {
		res, err := r.Translate(context.Background(), req(target, "1"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.SplitN(res[0].Text, ":", 2)[0]; got != want {
			t.Errorf("%s served by %s, want %s", target, got, want)
		}
	}
	// "*" in the chains map is the default too.
	r = NewRouter(map[string][]Provider{"*": {def}}, nil)
	if res, err := r.Translate(context.Background(), req("ru", "1")); err != nil || res[0].Text != "def:t1" {
		t.Errorf("got %+v, %v", res, err)
	}
	if res, err := r.Translate(context.Background(), req("ru")); err != nil || len(res) != 0 {
		t.Errorf("empty batch: %+v, %v", res, err)
	}
}

func lookup(name string) (Provider, error) {
	switch name {
	case "pseudo":
		return Pseudo{}, nil
	case "apertium", "deepl", "amazon":
		return &fake{name: name}, nil
	}
	return nil, fmt.Errorf("unknown provider %q", name)
}

func TestParseRouting(t *testing.T) {
	r, err := ParseRouting(" es=apertium, ca=apertium ,fr=deepl|amazon|pseudo,*=pseudo ", lookup)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.String(); got != "ca=apertium,es=apertium,fr=deepl|amazon|pseudo,*=pseudo" {
		t.Errorf("String() = %q", got)
	}
	// One provider instance per name, shared by every chain.
	if r.chains["es-Latn"].providers[0] != r.chains["ca-Latn"].providers[0] {
		t.Error("apertium looked up twice")
	}
	r, err = ParseRouting("", lookup)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Translate(context.Background(), req("ar", "1"))
	if err != nil || res[0].Provenance != "mt:pseudo" {
		t.Errorf("empty spec: %+v, %v", res, err)
	}

	for spec, want := range map[string]string{
		"es":                      `"es"`,
		"=apertium":               `"=apertium"`,
		"es=":                     `"es="`,
		"es=apertium||pseudo":     `"es=apertium||pseudo"`,
		"es=apertium,,*=x":        "entry 2",
		"es=apertium,es=deepl":    `"es=deepl"`,
		"e s=apertium":            `"e s=apertium"`,
		"es=google":               `"es=google"`,
		"es=deepl|deepl":          `"es=deepl|deepl"`,
		"*=pseudo,*=deepl":        `"*=deepl"`,
		"zh=deepl,zh-Hans=amazon": `"zh-Hans=amazon"`,
	} {
		_, err := ParseRouting(spec, lookup)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRouting(%q) error %v, want it to name %s", spec, err, want)
		}
	}
}
