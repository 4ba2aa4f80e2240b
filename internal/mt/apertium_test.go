package mt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"

	"github.com/pressroom/pressroom/internal/report"
)

// apyModes is where Debian's apertium-eng-spa and apertium-eng-cat
// install their modes.
const apyModes = "/usr/share/apertium/modes"

// startAPy starts a real apertium-apy on a free port for the test and
// returns its URL. A missing apertium-apy fails the test under CI=true and
// skips it otherwise.
func startAPy(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("apertium-apy")
	if err == nil {
		for _, m := range []string{"eng-spa.mode", "eng-cat.mode"} {
			if _, serr := os.Stat(apyModes + "/" + m); serr != nil {
				err = serr
			}
		}
	}
	if err != nil {
		msg := fmt.Sprintf("real Apertium needed: %v (apt-get install apertium-apy apertium-eng-spa apertium-eng-cat)", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()

	var logs bytes.Buffer
	cmd := exec.Command(bin, "-p", port, apyModes)
	cmd.Dir = t.TempDir() // APy may write its logs and databases here
	cmd.Stdout, cmd.Stderr = &logs, &logs
	// Its own process group: APy starts a pipeline of processes per pair,
	// and they all go when the test ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})

	base := "http://127.0.0.1:" + port
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/listPairs")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case <-exited:
			t.Fatalf("apertium-apy exited: %s", logs.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("apertium-apy did not answer /listPairs within 60s: %s", logs.String())
		}
	}
}

// apyRecorder records the /translate requests a provider sends.
type apyRecorder struct {
	mu       sync.Mutex
	queries  []string // q of each /translate request
	langpair []string
}

func (r *apyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "/translate" {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		r.mu.Lock()
		r.queries = append(r.queries, form.Get("q"))
		r.langpair = append(r.langpair, form.Get("langpair"))
		r.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (r *apyRecorder) reset() {
	r.mu.Lock()
	r.queries, r.langpair = nil, nil
	r.mu.Unlock()
}

func segs(texts ...string) []Segment {
	out := make([]Segment, len(texts))
	for i, s := range texts {
		out[i] = Segment{ID: fmt.Sprintf("s%d", i+1), Text: s}
	}
	return out
}

// checkIssueSentence checks a translation of issueSentence kept its
// markup: the same Markdown structure (strong emphasis, the link and its
// destination) as the source, the placeholder and the number.
func checkIssueSentence(t *testing.T, out string) {
	t.Helper()
	for _, keep := range []string{"](https://example.org/a?b=1)", "{{.Date}}", "3,500"} {
		if strings.Count(out, keep) != 1 {
			t.Errorf("%q: want %q exactly once", out, keep)
		}
	}
	if strings.Count(out, "**") != 2 {
		t.Errorf("%q: want one ** pair", out)
	}
	md := goldmark.New()
	if a, b := mdShape(t, md, issueSentence), mdShape(t, md, out); a != b {
		t.Errorf("Markdown structure changed:\n in: %s\nout: %s", a, b)
	}
	if strings.Contains(out, "Visit ") || strings.Contains(out, " people") {
		t.Errorf("%q: not translated", out)
	}
}

// paragraphs returns n report paragraphs, each with its number (0001…)
// as a protected span, so a segment out of place is seen.
func paragraphs(n int) []string {
	sentences := []string{
		"The General Assembly adopted resolution No. %04d on water and sanitation, with 3,500 delegates present.",
		"Read the **full statement** No. %04d at [the archive](https://example.org/docs?id=7) before {{.Deadline}}.",
		"Paragraph %04d: the committee met in Geneva to discuss climate finance and agreed on a plan for rural areas.",
		"Item %04d — members welcomed the report of the Secretary-General and requested further information by 12 March.",
	}
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf(sentences[i%len(sentences)], i+1)
	}
	return texts
}

// BenchmarkApertium300Paragraphs compares the batching Apertium does with
// one request per segment, against the real apertium-apy:
//
//	go test ./internal/mt/ -run XXX -bench Apertium300 -benchtime 3x
func BenchmarkApertium300Paragraphs(b *testing.B) {
	base := startAPy(b)
	req := Request{Source: "en", Target: "es", Format: report.FormatMarkdown, Segments: segs(paragraphs(300)...)}
	for _, mode := range []struct {
		name     string
		maxItems int
	}{{"batched", 0}, {"per-segment", 1}} {
		b.Run(mode.name, func(b *testing.B) {
			a := NewApertium(base, nil)
			a.batch.maxItems = mode.maxItems
			if _, err := a.Translate(context.Background(), req); err != nil { // warm the pipeline
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				res, err := a.Translate(context.Background(), req)
				if err != nil || res[299].Err != nil {
					b.Fatal(err, res[299].Err)
				}
			}
		})
	}
}

func TestApertiumReal(t *testing.T) {
	base := startAPy(t)
	rec := &apyRecorder{}
	a := NewApertium(base, &http.Client{Transport: rec, Timeout: 60 * time.Second})
	ctx := context.Background()

	t.Run("markup survives eng-spa and eng-cat", func(t *testing.T) {
		for _, target := range []string{"es", "ca"} {
			res, err := a.Translate(ctx, Request{Source: "en", Target: target, Format: report.FormatMarkdown,
				Segments: segs(issueSentence, "The committee adopted the report without a vote.")})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil || r.Provenance != "mt:apertium" {
					t.Fatalf("%s: %+v", target, r)
				}
				t.Logf("%s: %s", target, r.Text)
			}
			checkIssueSentence(t, res[0].Text)
		}
	})

	t.Run("unknown words are not marked", func(t *testing.T) {
		res, err := a.Translate(ctx, Request{Source: "en", Target: "es", Format: report.FormatText,
			Segments: segs("The zorblaxian delegate from Qwrtyland glimmered and frobnicated the spreadsheets.")})
		if err != nil || res[0].Err != nil {
			t.Fatalf("%+v, %v", res, err)
		}
		t.Log(res[0].Text)
		if regexp.MustCompile(`[*#@]\pL`).MatchString(res[0].Text) {
			t.Errorf("unknown-word mark published: %q", res[0].Text)
		}
		if !strings.Contains(res[0].Text, "zorblaxian") {
			t.Errorf("unknown word lost: %q", res[0].Text)
		}
	})

	t.Run("whitespace and empty segments", func(t *testing.T) {
		res, err := a.Translate(ctx, Request{Source: "en", Target: "es", Format: report.FormatText,
			Segments: segs("", "   ", "  I saw the red car.\n", "2024", "Fish & chips < 3 > 2")})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Text != "" || res[1].Text != "   " || res[3].Text != "2024" {
			t.Errorf("untranslatable segments changed: %+v", res)
		}
		if !strings.HasPrefix(res[2].Text, "  ") || !strings.HasSuffix(res[2].Text, ".\n") || strings.Contains(res[2].Text, "car") {
			t.Errorf("whitespace not kept or not translated: %q", res[2].Text)
		}
		if !strings.Contains(res[4].Text, "&") || !strings.Contains(res[4].Text, "< 3 > 2") {
			t.Errorf("escaping: %q", res[4].Text)
		}
	})

	t.Run("300 paragraphs in batches", func(t *testing.T) {
		texts := paragraphs(300)
		rec.reset()
		start := time.Now()
		res, err := a.Translate(ctx, Request{Source: "en", Target: "es", Format: report.FormatMarkdown, Segments: segs(texts...)})
		batched := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Err != nil {
				t.Fatalf("segment %d: %v", i, r.Err)
			}
			if !strings.Contains(r.Text, fmt.Sprintf("%04d", i+1)) || strings.Contains(r.Text, " the ") {
				t.Fatalf("segment %d out of place or untranslated: %q", i, r.Text)
			}
		}
		nreq := len(rec.queries)
		for _, q := range rec.queries {
			if n := utf8.RuneCountInString(q); n > apertiumMaxChars {
				t.Errorf("request of %d characters, over %d", n, apertiumMaxChars)
			}
		}
		if nreq < 2 || nreq > 30 {
			t.Errorf("%d requests for 300 paragraphs", nreq)
		}

		t.Logf("300 paragraphs eng→spa: %d requests in %v", nreq, batched.Round(time.Millisecond))
	})

	t.Run("one long paragraph is cut at sentence ends", func(t *testing.T) {
		var b strings.Builder
		for i := 0; i < 120; i++ {
			fmt.Fprintf(&b, "Sentence %04d says the delegates agreed on the plan. ", i)
		}
		long := strings.TrimSpace(b.String())
		rec.reset()
		res, err := a.Translate(ctx, Request{Source: "en", Target: "ca", Format: report.FormatText, Segments: segs(long)})
		if err != nil || res[0].Err != nil {
			t.Fatalf("%+v, %v", res, err)
		}
		for i := 0; i < 120; i++ {
			if !strings.Contains(res[0].Text, fmt.Sprintf("%04d", i)) {
				t.Fatalf("sentence %d lost", i)
			}
		}
		if len(rec.queries) < 2 {
			t.Errorf("%d-character paragraph sent in %d request(s)", utf8.RuneCountInString(long), len(rec.queries))
		}
	})

	t.Run("valencian variant", func(t *testing.T) {
		rec.reset()
		res, err := a.Translate(ctx, Request{Source: "en", Target: "ca-ES-valencia", Format: report.FormatText, Segments: segs("We want to see the new reports.")})
		if err != nil || res[0].Err != nil {
			t.Fatalf("%+v, %v", res, err)
		}
		if len(rec.langpair) != 1 || rec.langpair[0] != "eng|cat_valencia" {
			t.Errorf("langpair %v", rec.langpair)
		}
		t.Log(res[0].Text)
	})

	t.Run("unsupported pair", func(t *testing.T) {
		_, err := a.Translate(ctx, Request{Source: "en", Target: "fr", Segments: segs("Hello")})
		var u *UnsupportedPairError
		if !errors.As(err, &u) {
			t.Fatalf("err = %v", err)
		}
		want := "apertium at " + base + " cannot translate en to fr (installed pairs: "
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "eng-spa") || !strings.Contains(err.Error(), "eng-cat") {
			t.Errorf("message %q, want it to start %q and list the pairs", err, want)
		}
		if IsTransient(err) {
			t.Error("unsupported pair classified transient")
		}
	})

	t.Run("routing", func(t *testing.T) {
		r, err := ParseRouting("es=apertium,ca=apertium,*=pseudo", Lookup(Settings{ApertiumURL: base}, nil))
		if err != nil {
			t.Fatal(err)
		}
		for target, prov := range map[string]string{"es": "mt:apertium", "ca": "mt:apertium", "fr": "mt:pseudo"} {
			res, err := r.Translate(ctx, Request{Source: "en", Target: target, Format: report.FormatMarkdown, Segments: segs(issueSentence)})
			if err != nil || res[0].Err != nil || res[0].Provenance != prov {
				t.Fatalf("%s: %+v, %v", target, res, err)
			}
		}
	})
}

// fakeAPy is an httptest server speaking APy's /listPairs and /translate.
// Its "translation" upper-cases the text and marks words it was told are
// unknown; trigger words in a unit make it misbehave for that unit only.
type fakeAPy struct {
	t         *testing.T
	mu        sync.Mutex
	listCalls int
	status    int    // if set, /translate answers with it
	explain   string // and this explanation
}

func (f *fakeAPy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/listPairs":
		f.mu.Lock()
		f.listCalls++
		f.mu.Unlock()
		fmt.Fprint(w, `{"responseData": [{"sourceLanguage": "eng", "targetLanguage": "spa"}, {"sourceLanguage": "eng", "targetLanguage": "cat"}], "responseDetails": null, "responseStatus": 200}`)
	case "/translate":
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			f.t.Errorf("%s with %q", r.Method, r.Header.Get("Content-Type"))
		}
		if err := r.ParseForm(); err != nil {
			f.t.Error(err)
		}
		for k, want := range map[string]string{"langpair": "eng|spa", "markUnknown": "no", "deformat": "html", "reformat": "html-noent"} {
			if got := r.PostForm.Get(k); got != want {
				f.t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		f.mu.Lock()
		status, explain := f.status, f.explain
		f.mu.Unlock()
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"status": "error", "code": %d, "message": "%s", "explanation": %q}`, status, http.StatusText(status), explain)
			return
		}
		units := reSeparator.Split(r.PostForm.Get("q"), -1)[1:]
		var out strings.Builder
		for i, u := range units {
			switch {
			case strings.Contains(u, "LOSE"):
				// Truncated: APy drops what does not fit in its 10 parts.
				continue
			case strings.Contains(u, "TWICE"):
				fmt.Fprintf(&out, `<hr id="u%d"/><hr id="u%d"/>`, i, i)
			default:
				fmt.Fprintf(&out, `<hr id="u%d"/>`, i)
			}
			if strings.Contains(u, "DROPTOKEN") {
				u = reToken.ReplaceAllString(u, "")
			}
			u = strings.ReplaceAll(u, "zork", "*zork #blorf @quux")
			out.WriteString(upperOutsideTags(u))
		}
		resp := map[string]any{"responseData": map[string]string{"translatedText": out.String()}, "responseDetails": nil, "responseStatus": 200}
		writeJSON(w, resp)
	default:
		http.NotFound(w, r)
	}
}

var reAnyTag = regexp.MustCompile(`<[^>]*>|&[a-z]+;`)

// upperOutsideTags upper-cases text but not tags or entities, as a
// stand-in translation that keeps tokens intact.
func upperOutsideTags(s string) string {
	var b strings.Builder
	prev := 0
	for _, loc := range reAnyTag.FindAllStringIndex(s, -1) {
		b.WriteString(strings.ToUpper(s[prev:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		prev = loc[1]
	}
	b.WriteString(strings.ToUpper(s[prev:]))
	return b.String()
}

func TestApertiumFake(t *testing.T) {
	f := &fakeAPy{t: t}
	srv := httptest.NewServer(f)
	defer srv.Close()
	a := NewApertium(srv.URL+"/", nil)
	ctx := context.Background()
	req := Request{Source: "en", Target: "es", Format: report.FormatMarkdown, Segments: segs(
		"One **bold** zork at https://example.org/x.",
		"Two LOSE this",
		"Three DROPTOKEN {{.Name}}",
		"Four TWICE",
		"Five & <fine>",
	)}
	res, err := a.Translate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || res[0].Text != "ONE **BOLD** ZORK BLORF QUUX AT https://example.org/x." {
		t.Errorf("segment 1: %+v", res[0])
	}
	// A unit the server dropped fails, alone.
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "lost") {
		t.Errorf("segment 2: %+v", res[1])
	}
	if res[2].Err == nil || !strings.Contains(res[2].Err.Error(), `"{{.Name}}" lost`) {
		t.Errorf("segment 3: %+v", res[2])
	}
	if res[3].Err == nil || !strings.Contains(res[3].Err.Error(), "repeated") {
		t.Errorf("segment 4: %+v", res[3])
	}
	if res[4].Err != nil || res[4].Text != "FIVE & <fine>" {
		t.Errorf("segment 5: %+v", res[4])
	}
	for _, r := range res {
		if r.Err != nil && (IsTransient(r.Err) || IsUnsupportedPair(r.Err)) {
			t.Errorf("%s: misclassified %v", r.ID, r.Err)
		}
	}

	// /listPairs was asked once for all of this.
	if _, err := a.Translate(ctx, Request{Source: "en", Target: "es", Segments: segs("again")}); err != nil {
		t.Fatal(err)
	}
	if f.listCalls != 1 {
		t.Errorf("/listPairs called %d times", f.listCalls)
	}

	// Unsupported pair, without a /translate call.
	if _, err := a.Translate(ctx, Request{Source: "en", Target: "fr", Segments: segs("x")}); !IsUnsupportedPair(err) ||
		!strings.Contains(err.Error(), "installed pairs: eng-cat, eng-spa") {
		t.Errorf("en→fr: %v", err)
	}

	// Server errors.
	f.status = http.StatusServiceUnavailable
	_, err = a.Translate(ctx, req)
	if !IsTransient(err) {
		t.Errorf("503: %v", err)
	}
	f.status, f.explain = http.StatusBadRequest, "That pair is not installed"
	_, err = a.Translate(ctx, req)
	if !IsUnsupportedPair(err) || IsTransient(err) {
		t.Errorf("400 pair: %v", err)
	}

	// A server that is not there is a transient failure.
	srv.Close()
	down := NewApertium(srv.URL, nil)
	if _, err := down.Translate(ctx, req); !IsTransient(err) {
		t.Errorf("server down: %v", err)
	}
}
