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
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/translate"

	"github.com/pressroom/pressroom/internal/report"
)

// fakeTranslate speaks Amazon Translate's TranslateText over the AWS JSON
// 1.1 protocol: POST / with X-Amz-Target
// AWSShineFrontendService_20170701.TranslateText, Content-Type
// application/x-amz-json-1.1, a SigV4-signed body {"Text",
// "SourceLanguageCode", "TargetLanguageCode", "Settings"}; the answer
// {"TranslatedText", "SourceLanguageCode", "TargetLanguageCode",
// "AppliedSettings"}, errors as {"__type": "...#Name", "message"}.
type fakeTranslate struct {
	t      *testing.T
	mu     sync.Mutex
	inputs []map[string]any
	fail   string // if set, every call fails with this exception
}

func (f *fakeTranslate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := r.Header
	if r.Method != http.MethodPost || r.URL.Path != "/" ||
		h.Get("X-Amz-Target") != "AWSShineFrontendService_20170701.TranslateText" ||
		h.Get("Content-Type") != "application/x-amz-json-1.1" ||
		!strings.HasPrefix(h.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDTEST/") ||
		!strings.Contains(h.Get("Authorization"), "/us-east-1/translate/aws4_request") {
		f.t.Errorf("request %s %s %v", r.Method, r.URL.Path, h)
	}
	raw, _ := io.ReadAll(r.Body)
	var in map[string]any
	if err := json.Unmarshal(raw, &in); err != nil {
		f.t.Errorf("body %q: %v", raw, err)
	}
	f.mu.Lock()
	f.inputs = append(f.inputs, in)
	fail := f.fail
	f.mu.Unlock()
	text, _ := in["Text"].(string)
	if len(text) > amazonMaxBytes {
		fail = "TextSizeLimitExceededException"
	}
	if strings.Contains(text, "POISON") {
		fail = "InvalidRequestException"
	}
	if in["TargetLanguageCode"] == "xx" {
		fail = "UnsupportedLanguagePairException"
	}
	if fail != "" {
		status := http.StatusBadRequest
		switch fail {
		case "ServiceUnavailableException":
			status = http.StatusServiceUnavailable
		case "InternalServerException":
			status = http.StatusInternalServerError
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":"com.amazonaws.translate#%s","message":"%s from the fake"}`, fail, fail)
		return
	}
	out := map[string]any{
		"TranslatedText":     upperOutsideTags(text),
		"SourceLanguageCode": in["SourceLanguageCode"],
		"TargetLanguageCode": in["TargetLanguageCode"],
	}
	if s, ok := in["Settings"].(map[string]any); ok {
		out["AppliedSettings"] = s
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

func newFakeAmazon(t *testing.T, formality string) (*Amazon, *fakeTranslate) {
	f := &fakeTranslate{t: t}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	client := translate.New(translate.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		// The SDK's own retries stay on, with no waiting, so the test
		// also shows throttling surviving them is classified transient.
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 2
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	return NewAmazon(client, formality), f
}

func TestAmazon(t *testing.T) {
	a, f := newFakeAmazon(t, "formal")
	ctx := context.Background()

	res, err := a.Translate(ctx, Request{Source: "en", Target: "fr-CA", Format: report.FormatMarkdown,
		Segments: segs(issueSentence, "one POISON", "  three  ")})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Text != "VISIT **OUR** [WEBSITE](https://example.org/a?b=1) BEFORE {{.Date}}: 3,500 PEOPLE CAME." || res[0].Provenance != "mt:amazon" {
		t.Errorf("markup: %+v", res[0])
	}
	if _, ok := errorsAs[*RequestError](res[1].Err); !ok || res[2].Text != "  THREE  " {
		t.Errorf("per-segment failure: %+v %+v", res[1], res[2])
	}
	for _, in := range f.inputs {
		if in["SourceLanguageCode"] != "en" || in["TargetLanguageCode"] != "fr-CA" {
			t.Errorf("codes %v", in)
		}
		if s, _ := in["Settings"].(map[string]any); s["Formality"] != "FORMAL" {
			t.Errorf("formality not sent for fr-CA: %v", in)
		}
	}

	// Formality only where Amazon supports it.
	f.inputs = nil
	if _, err := a.Translate(ctx, Request{Source: "en", Target: "ru", Segments: segs("hello")}); err != nil {
		t.Fatal(err)
	}
	if _, set := f.inputs[0]["Settings"]; set {
		t.Errorf("formality sent for ru: %v", f.inputs[0])
	}

	// A 25 KB paragraph goes in requests of at most 10,000 bytes, cut at
	// sentence ends, and comes back whole.
	var b strings.Builder
	for i := 0; b.Len() < 25000; i++ {
		fmt.Fprintf(&b, "Sentence %04d: the delegates agreed on the plan for rural areas. ", i)
	}
	long := strings.TrimSpace(b.String())
	f.inputs = nil
	res, err = a.Translate(ctx, Request{Source: "en", Target: "es", Format: report.FormatText, Segments: segs(long, "short")})
	if err != nil || res[0].Err != nil {
		t.Fatalf("%v %v", err, res[0].Err)
	}
	if res[0].Text != strings.ToUpper(long) {
		t.Errorf("long paragraph not rejoined exactly")
	}
	if len(f.inputs) < 4 {
		t.Errorf("%d requests", len(f.inputs))
	}
	for _, in := range f.inputs {
		text := in["Text"].(string)
		if len(text) > amazonMaxBytes {
			t.Errorf("request of %d bytes", len(text))
		}
		if text != "short" && !strings.HasSuffix(text, ".") {
			t.Errorf("not cut at a sentence end: …%s", text[len(text)-20:])
		}
	}

	// Errors.
	_, err = a.Translate(ctx, Request{Source: "en", Target: "xx", Segments: segs("hello")})
	if !IsUnsupportedPair(err) || IsTransient(err) || !strings.Contains(err.Error(), "amazon cannot translate en to xx") {
		t.Errorf("unsupported: %v", err)
	}
	for _, exc := range []string{"ThrottlingException", "TooManyRequestsException", "ServiceUnavailableException", "InternalServerException"} {
		f.fail = exc
		if _, err := a.Translate(ctx, Request{Source: "en", Target: "es", Segments: segs("hello")}); !IsTransient(err) {
			t.Errorf("%s: %v", exc, err)
		}
	}
	f.fail = "AccessDeniedException"
	if _, err := a.Translate(ctx, Request{Source: "en", Target: "es", Segments: segs("hello")}); err == nil || IsTransient(err) {
		t.Errorf("access denied: %v", err)
	}
}

func TestAmazonCodes(t *testing.T) {
	for tag, want := range map[string]string{
		"en": "en", "ar": "ar", "zh-Hans": "zh", "zh": "zh", "zh-Hant": "zh-TW", "zh-TW": "zh-TW", "fr": "fr", "fr-CA": "fr-CA",
		"ru": "ru", "es": "es", "es-MX": "es-MX", "es-419": "es-MX", "pt": "pt", "pt-PT": "pt-PT", "nb": "no", "fil": "tl",
	} {
		if got := amazonCode(tag); got != want {
			t.Errorf("amazonCode(%s) = %s, want %s", tag, got, want)
		}
	}
}
