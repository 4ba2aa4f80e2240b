package activities_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"testing"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/s3test"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/translate"
	"github.com/pressroom/pressroom/workflows"
)

// The activities run against a real S3 server (versitygw, one bucket per
// test) inside Temporal's activity test environment, which gives them
// an activity context (heartbeats, logger) and converts their errors as a
// worker would.
func TestMain(m *testing.M) { s3test.Main(m) }

type fixture struct {
	t    *testing.T
	st   *store.Store
	acts *activities.Activities
	env  *testsuite.TestActivityEnvironment
	src  report.Report
	ref  workflows.Ref
}

// newFixture stores testdata/summer-hours.md as a submitted source, the
// way the service does, and registers the activities with tr as the
// machine translation.
func newFixture(t *testing.T, tr translate.Translator) *fixture {
	t.Helper()
	st := s3test.Store(t)
	data, err := os.ReadFile("testdata/summer-hours.md")
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Parse("summer-hours.md", data, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, st: st, src: *r,
		acts: &activities.Activities{Store: st, Translator: tr, QA: qa.DefaultConfig()}}
	// The source's key names its own hash, as Submit writes it.
	b, _ := json.Marshal(r)
	f.ref = f.putBytes(store.SourceKey(r.Slug, store.SHA256(b)), b)
	f.env = activityEnv(f.acts)
	return f
}

// activityEnv runs acts' activities as a worker would. Its log is
// discarded: the failures tests provoke would read as errors.
func activityEnv(acts *activities.Activities) *testsuite.TestActivityEnvironment {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	return env
}

func (f *fixture) putBytes(key string, b []byte) workflows.Ref {
	f.t.Helper()
	if _, err := f.st.PutImmutable(context.Background(), key, b, store.Meta{ContentType: "application/json"}); err != nil {
		f.t.Fatal(err)
	}
	return workflows.Ref{Key: key, SHA256: store.SHA256(b), Size: int64(len(b))}
}

// getJSON reads a reference, checking its hash, into v.
func (f *fixture) getJSON(ref workflows.Ref, v any) {
	f.t.Helper()
	b, err := f.st.GetVerified(context.Background(), ref.Key, ref.SHA256)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		f.t.Fatal(err)
	}
}

// run executes an activity that must succeed and decodes its result.
func run[T any](f *fixture, activity, in any) T {
	f.t.Helper()
	val, err := f.env.ExecuteActivity(activity, in)
	if err != nil {
		f.t.Fatal(err)
	}
	var out T
	if err := val.Get(&out); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) translate(locale string) workflows.TranslateOutput {
	f.t.Helper()
	return run[workflows.TranslateOutput](f, f.acts.Translate, workflows.TranslateInput{
		Slug: f.src.Slug, Source: f.ref, SourceLocale: f.src.Source, Locale: locale, Round: 1})
}

// pseudo is the production router with every locale on the pseudo provider.
func pseudo(t *testing.T) translate.Translator {
	t.Helper()
	r, err := mt.ParseRouting("*=pseudo", mt.Lookup(mt.Settings{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// appError is the application error an activity failed with, as the
// workflow sees it; it fails the test when there is none.
func appError(t *testing.T, err error) *temporal.ApplicationError {
	t.Helper()
	var app *temporal.ApplicationError
	if !errors.As(err, &app) {
		t.Fatalf("want an application error, got %T %v", err, err)
	}
	return app
}
