package integration

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/web"
)

// siteGet fetches a path of the reader site: status and body.
func siteGet(t *testing.T, base, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// releaseETags maps every release object of slug (not the history) to its ETag.
func releaseETags(t *testing.T, slug string) map[string]string {
	t.Helper()
	ctx := context.Background()
	keys, err := env.store.ListKeys(ctx, store.ReportReleasesPrefix(slug))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		if strings.HasPrefix(k, store.ReleaseHistoryPrefix(slug)) {
			continue
		}
		_, tag, err := env.store.GetWithETag(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = tag
	}
	return out
}

// Issue 10: `pressroom unpublish` makes the reader pages answer 410 Gone
// and takes the report off the lists, writes nothing under releases/ but
// its history record, and a rollback to the same version undoes it.
func TestUnpublishAnswersGoneAndIsReversible(t *testing.T) {
	ctx := context.Background()
	const slug = "unpublish-test"
	const other = "unpublish-neighbour"
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	if rel, err := runPublish(env.store, stagePublish(t, env.store, slug, "Withdrawn soon", []string{"fr"}, at)); err != nil || rel.Version != 1 {
		t.Fatalf("publish: %+v %v", rel, err)
	}
	if _, err := runPublish(env.store, stagePublish(t, env.store, other, "Stays up", []string{"fr"}, at.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(web.Routes(env.store, &web.API{}))
	defer site.Close()
	for _, l := range []string{"en", "fr"} {
		if code, _, _ := siteGet(t, site.URL, "/"+l+"/"+slug+"/"); code != 200 {
			t.Fatalf("%s page before: %d", l, code)
		}
		if _, body, _ := siteGet(t, site.URL, "/"+l+"/"); !strings.Contains(body, `href="`+slug+`/"`) {
			t.Fatalf("%s list before does not link the report", l)
		}
	}
	before := releaseETags(t, slug)
	dir := t.TempDir()

	if r := pressroom(t, dir, "it-unpublish", "unpublish", slug, "--as", "edith"); r.code != 2 {
		t.Errorf("unpublish without --reason: exit %d, want 2", r.code)
	}
	if r := pressroom(t, dir, "it-unpublish", "unpublish", slug, "--locale", "de", "--as", "edith", "--reason", "x"); r.code != 4 || !strings.Contains(r.stderr, "no de page") {
		t.Errorf("unpublish of a missing locale: exit %d %s", r.code, r.stderr)
	}
	out := mustPressroom(t, dir, "it-unpublish", "unpublish", slug, "--locale", "fr", "--as", "edith", "--reason", "legal hold on the French text")
	t.Logf("pressroom unpublish %s --locale fr:\n%s", slug, out)
	if !strings.Contains(out, "unpublished in fr") {
		t.Errorf("unpublish said %q", out)
	}
	code, body, hdr := siteGet(t, site.URL, "/fr/"+slug+"/")
	if code != http.StatusGone || !strings.Contains(body, "Ce rapport a été retiré") || hdr.Get("X-Robots-Tag") != "noindex" {
		t.Errorf("fr page after unpublish: %d %q %v", code, body, hdr)
	}
	if code, _, _ := siteGet(t, site.URL, "/en/"+slug+"/"); code != 200 {
		t.Errorf("en page after unpublishing fr only: %d", code)
	}
	if _, body, _ := siteGet(t, site.URL, "/fr/"); strings.Contains(body, `href="`+slug+`/"`) || !strings.Contains(body, `href="`+other+`/"`) {
		t.Errorf("fr list after unpublish: links it, or lost its neighbour:\n%s", body)
	}
	if _, body, _ := siteGet(t, site.URL, "/en/"); !strings.Contains(body, `href="`+slug+`/"`) {
		t.Errorf("en list lost the report after unpublishing fr only")
	}
	if code, _, _ := siteGet(t, site.URL, "/fr/no-such-report/"); code != 404 {
		t.Errorf("a page never published: %d, want 404", code)
	}

	mustPressroom(t, dir, "it-unpublish", "unpublish", slug, "--as", "edith", "--reason", "withdrawn entirely")
	if code, _, _ := siteGet(t, site.URL, "/en/"+slug+"/"); code != http.StatusGone {
		t.Errorf("en page after unpublishing all: %d", code)
	}
	if r := pressroom(t, dir, "it-unpublish", "unpublish", slug, "--as", "edith", "--reason", "again"); r.code != 3 || !strings.Contains(r.stderr, "already unpublished") {
		t.Errorf("unpublish twice: exit %d %s", r.code, r.stderr)
	}
	after := releaseETags(t, slug)
	if len(after) != len(before) {
		t.Errorf("release objects: %d before, %d after", len(before), len(after))
	}
	for k, tag := range before {
		if after[k] != tag {
			t.Errorf("%s changed (ETag %s → %s)", k, tag, after[k])
		}
	}
	_, moves, err := releases.List(ctx, env.store, slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(moves) != 2 || moves[0].Action != "unpublish" || moves[0].By != "edith" || moves[0].Reason != "legal hold on the French text" ||
		strings.Join(moves[0].Locales, ",") != "fr" || strings.Join(moves[1].Locales, ",") != "en" {
		b, _ := json.Marshal(moves)
		t.Errorf("history: %s", b)
	}
	list := mustPressroom(t, dir, "it-unpublish", "releases", slug)
	t.Logf("pressroom releases %s:\n%s", slug, list)
	if !strings.Contains(list, "unpublish v1 (fr) by edith") {
		t.Errorf("releases does not show the unpublish:\n%s", list)
	}

	screenshots(t, site.URL, map[string]string{"unpublished-fr.png": "/fr/" + slug + "/"})

	// Reversible: rolling "back" to the served version puts the pages back.
	if out := mustPressroom(t, dir, "it-unpublish", "rollback", slug, "--to", "1", "--as", "edith", "--reason", "hold lifted"); !strings.Contains(out, "v1 published again in en, fr") {
		t.Errorf("rollback to the served version said %q", out)
	}
	for _, l := range []string{"en", "fr"} {
		if code, body, _ := siteGet(t, site.URL, "/"+l+"/"+slug+"/"); code != 200 || !strings.Contains(body, "Withdrawn soon") {
			t.Errorf("%s page after the rollback: %d", l, code)
		}
		if _, body, _ := siteGet(t, site.URL, "/"+l+"/"); !strings.Contains(body, `href="`+slug+`/"`) {
			t.Errorf("%s list after the rollback does not link the report", l)
		}
		if _, err := env.store.Get(ctx, store.WithdrawnKey(slug, l)); err == nil {
			t.Errorf("%s tombstone left after the rollback", l)
		}
	}
	if gone, _ := releases.Unpublished(ctx, env.store, slug); len(gone) != 0 {
		t.Errorf("still unpublished in %v", gone)
	}

	// The same through the API, for editors only; the caller is recorded.
	path := filepath.Join(t.TempDir(), "users.json")
	tokens := map[string]string{}
	if err := auth.Update(path, func(u *auth.Users) error {
		var err error
		if tokens["edith"], err = u.Add("edith", auth.RoleEditor, nil); err != nil {
			return err
		}
		tokens["claire"], err = u.Add("claire", auth.RoleTranslator, []string{"fr"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	users, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(web.Routes(env.store, &web.API{Svc: env.svc, Users: users}))
	defer api.Close()
	call := func(who, method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, api.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokens[who])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := call("claire", "POST", "/api/reports/"+slug+"/unpublish", `{"reason":"x"}`); code != http.StatusForbidden {
		t.Errorf("a translator unpublishing: %d", code)
	}
	if code, body := call("edith", "POST", "/api/reports/"+slug+"/unpublish", `{}`); code != http.StatusBadRequest || !strings.Contains(body, "reason") {
		t.Errorf("unpublish without a reason: %d %s", code, body)
	}
	if code, body := call("edith", "POST", "/api/reports/"+slug+"/unpublish", `{"locales":["fr"],"reason":"via the API"}`); code != 200 || !strings.Contains(body, `"by": "edith"`) {
		t.Errorf("API unpublish: %d %s", code, body)
	}
	if code, _, _ := siteGet(t, site.URL, "/fr/"+slug+"/"); code != http.StatusGone {
		t.Errorf("fr page after the API unpublish: %d", code)
	}
	if code, body := call("edith", "POST", "/api/reports/"+slug+"/unpublish", `{"locales":["fr"],"reason":"again"}`); code != http.StatusConflict || !strings.Contains(body, `"type": "AlreadyUnpublished"`) {
		t.Errorf("API unpublish twice: %d %s", code, body)
	}
	if code, body := call("edith", "POST", "/api/reports/"+slug+"/rollback", `{"to":1,"reason":"via the API too"}`); code != 200 {
		t.Errorf("API rollback: %d %s", code, body)
	}
	if code, _, _ := siteGet(t, site.URL, "/fr/"+slug+"/"); code != 200 {
		t.Errorf("fr page after the API rollback: %d", code)
	}
	code, body = call("edith", "GET", "/api/reports/"+slug+"/releases", "")
	var rel struct {
		History []releases.Move   `json:"history"`
		Changes []releases.Change `json:"changes"`
	}
	if err := json.Unmarshal([]byte(body), &rel); code != 200 || err != nil || len(rel.History) != 5 || len(rel.Changes) != 1 || rel.Changes[0].Version != 1 ||
		rel.History[2].Action != "republish" || rel.History[4].Action != "republish" || rel.History[4].By != "edith" {
		t.Errorf("API releases: %d %v %s", code, err, body)
	}
}
