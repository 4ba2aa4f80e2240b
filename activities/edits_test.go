package activities_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

func (f *fixture) edits(locale string, e activities.Edits) workflows.Ref {
	f.t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.putBytes(store.EditsKey(f.src.Slug, f.ref.SHA256, locale, store.SHA256(b)), b)
}

// segment is the ID of the source segment containing text.
func (f *fixture) segment(text string) string {
	f.t.Helper()
	for _, s := range f.src.Segments {
		if strings.Contains(s.Text, text) {
			return s.ID
		}
	}
	f.t.Fatalf("no segment says %q", text)
	return ""
}

// ApplyEdits writes a new draft revision with the reviewer's texts (and
// only those changed), credits the reviewer, and checks the result.
func TestApplyEdits(t *testing.T) {
	f := newFixture(t, pseudo(t))
	first := f.translate("fr")
	id := f.segment("visitors page")
	in := workflows.ApplyEditsInput{Slug: f.src.Slug, Source: f.ref, Locale: "fr", Draft: first.Draft, Reviewer: "claire",
		Edits: f.edits("fr", activities.Edits{id: "Réservez sur la [page des visiteurs](https://example.org/visit) ou écrivez **à l'accueil**."})}
	out := run[workflows.ApplyEditsOutput](f, f.acts.ApplyEdits, in)
	if out.Draft == first.Draft {
		t.Fatal("an edit kept the old draft")
	}
	var before, after report.Translation
	f.getJSON(first.Draft, &before)
	f.getJSON(out.Draft, &after)
	for i, s := range after.Segments {
		switch {
		case s.ID == id:
			if !strings.HasPrefix(s.Text, "Réservez") || s.Provenance != "human:claire" {
				t.Errorf("edited segment %+v", s)
			}
		case s.Text != before.Segments[i].Text || s.Provenance != before.Segments[i].Provenance:
			t.Errorf("segment %s changed without an edit: %+v → %+v", s.ID, before.Segments[i], s)
		}
	}
	// Findings are stored per revision (none when the checks find nothing).
	if out.Checks.Errors != 0 || (out.Checks.Findings.Key != "" && out.Checks.Findings.Key == first.Checks.Findings.Key) {
		t.Fatalf("checks of the revision %+v (first %+v)", out.Checks, first.Checks)
	}

	// An edit that loses the link is checked: the revision reports it.
	in.Edits = f.edits("fr", activities.Edits{id: "Réservez à l'accueil."})
	out = run[workflows.ApplyEditsOutput](f, f.acts.ApplyEdits, in)
	if out.Checks.Errors == 0 || len(out.Checks.Failing) != 1 || out.Checks.Failing[0] != id {
		t.Fatalf("an edit dropping the link and the emphasis should fail the checks on %s: %+v", id, out.Checks)
	}
}

// Edits naming a segment the draft lacks are refused for good
// (UnknownSegment: retrying cannot help), naming the ID and the locale;
// edits that are not an object of texts are bad input. Neither writes a
// draft.
func TestApplyEditsRefusals(t *testing.T) {
	f := newFixture(t, pseudo(t))
	first := f.translate("fr")
	notEdits := f.putBytes(store.EditsKey(f.src.Slug, f.ref.SHA256, "fr", "list"), []byte(`["not", "an", "object"]`))
	cases := []struct {
		name     string
		edits    workflows.Ref
		wantType string
		wantMsg  []string
	}{
		{"unknown segment", f.edits("fr", activities.Edits{f.src.Segments[0].ID: "ok", "p-99": "nowhere"}), workflows.ErrUnknownSegment, []string{`"p-99"`, "fr"}},
		{"not an edits object", notEdits, workflows.ErrBadInput, []string{notEdits.Key}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.env.ExecuteActivity(f.acts.ApplyEdits, workflows.ApplyEditsInput{
				Slug: f.src.Slug, Source: f.ref, Locale: "fr", Draft: first.Draft, Edits: tc.edits, Reviewer: "claire"})
			app := appError(t, err)
			if !app.NonRetryable() || app.Type() != tc.wantType {
				t.Fatalf("type %q non-retryable %v, want %q: %v", app.Type(), app.NonRetryable(), tc.wantType, err)
			}
			for _, m := range tc.wantMsg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q should name %s", err, m)
				}
			}
		})
	}
	keys, err := f.st.ListKeys(t.Context(), "drafts/"+f.src.Slug+"/"+f.ref.SHA256+"/fr/")
	if err != nil {
		t.Fatal(err)
	}
	drafts := 0
	for _, k := range keys {
		if !strings.Contains(k, "/edits/") && !strings.HasSuffix(k, ".checks.json") {
			drafts++
		}
	}
	if drafts != 1 {
		t.Fatalf("refused edits wrote drafts: %v", keys)
	}
}
