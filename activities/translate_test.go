package activities_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// Translate stores a draft with one text per source segment, counts the
// provenance, stores the findings beside it, and a retry lands on the
// same content-addressed objects.
func TestTranslateDraftsChecksAndRepeats(t *testing.T) {
	f := newFixture(t, pseudo(t))
	out := f.translate("fr")

	if out.Locale != "fr" || out.Segments != len(f.src.Segments) || out.Provenance["mt:pseudo"] != len(f.src.Segments) || len(out.Provenance) != 1 {
		t.Fatalf("output %+v, want %d segments all mt:pseudo", out, len(f.src.Segments))
	}
	if !strings.HasPrefix(out.Draft.Key, "drafts/"+f.src.Slug+"/"+f.ref.SHA256+"/fr/") {
		t.Fatalf("draft key %s is not under the source's drafts", out.Draft.Key)
	}
	var draft report.Translation
	f.getJSON(out.Draft, &draft)
	if draft.Locale != "fr" || draft.SourceSHA256 != f.ref.SHA256 || len(draft.Segments) != len(f.src.Segments) {
		t.Fatalf("draft %+v", draft)
	}
	for i, s := range draft.Segments {
		if s.ID != f.src.Segments[i].ID || s.Text == f.src.Segments[i].Text || s.Provenance != "mt:pseudo" {
			t.Errorf("segment %d = %+v, want a pseudo translation of %q", i, s, f.src.Segments[i].Text)
		}
	}
	// Pseudo keeps the markup intact, so the checks find no errors.
	var findings []qa.Finding
	if out.Checks.Findings.Key != "" {
		f.getJSON(out.Checks.Findings, &findings)
	} else if out.Checks.Errors+out.Checks.Warnings != 0 {
		t.Fatalf("checks %+v count findings but name no findings object", out.Checks)
	}
	if out.Checks.Errors != 0 || len(out.Checks.Failing) != 0 {
		t.Fatalf("checks %+v on a pseudo draft: %+v", out.Checks, findings)
	}
	if e, w := qa.Summarize(findings); e != out.Checks.Errors || w != out.Checks.Warnings {
		t.Fatalf("stored findings count %d errors %d warnings, output says %+v", e, w, out.Checks)
	}

	if again := f.translate("fr"); again.Draft != out.Draft || again.Checks.Findings != out.Checks.Findings {
		t.Fatalf("a retry wrote other objects: %+v then %+v", out, again)
	}
}

// failing is a machine translation that fails for some targets: the
// logic under test is how Translate classifies the failure.
type failing struct {
	mu      sync.Mutex
	targets map[string]error // target → error of the whole request
	segment map[string]error // target → error of every segment
}

func (p *failing) Translate(_ context.Context, req mt.Request) ([]mt.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.targets[req.Target]; err != nil {
		return nil, err
	}
	out := make([]mt.Result, len(req.Segments))
	for i, s := range req.Segments {
		out[i] = mt.Result{ID: s.ID, Text: "[" + req.Target + "] " + s.Text, Provenance: "mt:test", Err: p.segment[req.Target]}
	}
	return out, nil
}

// A permanent failure (unsupported pair, a refusal by the service) is
// non-retryable with its type, naming the locale; a transient one is
// left to Temporal's retries. Either way no draft is written.
func TestTranslateClassifiesFailures(t *testing.T) {
	unsupported := &mt.UnsupportedPairError{Provider: "apertium", Source: "en", Target: "fr"}
	transient := &mt.TransientError{Provider: "deepl", Err: errors.New("HTTP 503")}
	cases := []struct {
		name     string
		mt       *failing
		wantType string // "" = retryable
		wantMsg  string
	}{
		{"unsupported pair", &failing{targets: map[string]error{"fr": unsupported}}, workflows.ErrUnsupported, "cannot translate en to fr"},
		{"service refusal", &failing{targets: map[string]error{"fr": &mt.RequestError{Provider: "deepl", Status: 403, Message: "wrong key"}}}, workflows.ErrTranslation, "en→fr"},
		{"transient request", &failing{targets: map[string]error{"fr": transient}}, "", "HTTP 503"},
		{"transient segments", &failing{segment: map[string]error{"fr": transient}}, "", "HTTP 503"},
		{"permanent segments", &failing{segment: map[string]error{"fr": errors.New("markup lost")}}, workflows.ErrTranslation, "markup lost"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.mt)
			_, err := f.env.ExecuteActivity(f.acts.Translate, workflows.TranslateInput{
				Slug: f.src.Slug, Source: f.ref, SourceLocale: "en", Locale: "fr", Round: 1})
			app := appError(t, err)
			if tc.wantType == "" {
				if app.NonRetryable() {
					t.Fatalf("transient failure made non-retryable: %v", err)
				}
			} else if !app.NonRetryable() || app.Type() != tc.wantType {
				t.Fatalf("type %q non-retryable %v, want %q non-retryable: %v", app.Type(), app.NonRetryable(), tc.wantType, err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %q should say %q", err, tc.wantMsg)
			}
			keys, lerr := f.st.ListKeys(context.Background(), "drafts/"+f.src.Slug+"/"+f.ref.SHA256+"/fr/")
			if lerr != nil || len(keys) != 0 {
				t.Fatalf("a failed translation left objects: %v %v", keys, lerr)
			}
		})
	}
}

// TranslateReport drafts every locale in input order; one locale failing
// for good fails the whole call with that locale's reason.
func TestTranslateReport(t *testing.T) {
	f := newFixture(t, &failing{})
	locales := []string{"fr", "es", "ar", "ru", "zh-Hans"} // more than run at once
	outs := run[[]workflows.TranslateOutput](f, f.acts.TranslateReport, workflows.TranslateReportInput{
		Slug: f.src.Slug, Source: f.ref, SourceLocale: "en", Locales: locales})
	if len(outs) != len(locales) {
		t.Fatalf("%d outputs for %d locales", len(outs), len(locales))
	}
	for i, out := range outs {
		var draft report.Translation
		f.getJSON(out.Draft, &draft)
		if out.Locale != locales[i] || draft.Locale != locales[i] || !strings.HasPrefix(draft.Segments[0].Text, "["+locales[i]+"]") {
			t.Errorf("output %d is %s (draft %s, %q), want %s", i, out.Locale, draft.Locale, draft.Segments[0].Text, locales[i])
		}
	}

	f = newFixture(t, &failing{targets: map[string]error{"es": &mt.UnsupportedPairError{Provider: "apertium", Source: "en", Target: "es"}}})
	_, err := f.env.ExecuteActivity(f.acts.TranslateReport, workflows.TranslateReportInput{
		Slug: f.src.Slug, Source: f.ref, SourceLocale: "en", Locales: locales})
	if app := appError(t, err); !app.NonRetryable() || app.Type() != workflows.ErrUnsupported || !strings.Contains(err.Error(), "en to es") {
		t.Fatalf("one unsupported locale: %v (type %s)", err, app.Type())
	}
}

// A reference whose object does not match its hash, or that is not a
// report, is never translated.
func TestTranslateRefusesBadSource(t *testing.T) {
	f := newFixture(t, pseudo(t))
	tampered := f.ref
	tampered.SHA256 = store.SHA256([]byte("other content"))
	_, err := f.env.ExecuteActivity(f.acts.Translate, workflows.TranslateInput{Slug: f.src.Slug, Source: tampered, SourceLocale: "en", Locale: "fr"})
	if err == nil || !strings.Contains(err.Error(), "expected "+tampered.SHA256) {
		t.Fatalf("tampered source: %v", err)
	}

	notReport := f.putBytes(store.SourceKey(f.src.Slug, "not-a-report"), []byte(`["a list"]`))
	_, err = f.env.ExecuteActivity(f.acts.Translate, workflows.TranslateInput{Slug: f.src.Slug, Source: notReport, SourceLocale: "en", Locale: "fr"})
	if app := appError(t, err); !app.NonRetryable() || app.Type() != workflows.ErrBadInput || !strings.Contains(err.Error(), notReport.Key) {
		t.Fatalf("not a report: %v", err)
	}
}
