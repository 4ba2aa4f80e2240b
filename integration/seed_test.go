package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.temporal.io/api/workflowservice/v1"
	"golang.org/x/text/language"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/testseed"
	"github.com/pressroom/pressroom/workflows"
)

var seedReviewers = map[string]string{"ar": "amal", "zh-Hans": "wei", "fr": "claire", "ru": "dmitri", "es": "sofia"}

// The seed report goes to five targets through the real CLI and a real
// worker process, which is killed mid-review; reviews arrive as Updates;
// the release is read back object by object.
func TestSeedReportEndToEnd(t *testing.T) {
	const queue, slug = "it-seed", "upr-side-event"
	seed := testseed.Path(t, testseed.Report)
	dir := t.TempDir()
	w := startWorker(t, queue)

	args := []string{"submit", seed, "--slug", slug, "--to", "ar,zh-Hans,fr,ru,es", "--date", "2024-01-23", "--json"}
	for l, u := range seedReviewers {
		args = append(args, "--reviewer", l+"="+u)
	}
	var sub service.SubmitResult
	if err := json.Unmarshal([]byte(mustPressroom(t, dir, queue, args...)), &sub); err != nil {
		t.Fatal(err)
	}
	if sub.WorkflowID != "report/"+slug || len(sub.Targets) != 5 {
		t.Fatalf("submit result: %+v", sub)
	}

	// Every locale reaches review; the task list comes from visibility.
	eventually(t, 2*time.Minute, "five tasks in review", func() error {
		var tasks []service.Task
		if err := json.Unmarshal([]byte(mustPressroom(t, dir, queue, "tasks", "--slug", slug, "--json")), &tasks); err != nil {
			return err
		}
		if len(tasks) != 5 {
			return fmt.Errorf("%d tasks: %+v", len(tasks), tasks)
		}
		return nil
	})
	var mine []service.Task
	if err := json.Unmarshal([]byte(mustPressroom(t, dir, queue, "tasks", "--assignee", "claire", "--slug", slug, "--json")), &mine); err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Locale != "fr" || mine[0].Slug != slug {
		t.Fatalf("claire's tasks: %+v", mine)
	}
	// The report's stage is a search attribute: PressroomStage='in_review'.
	eventually(t, time.Minute, "report listed as in_review", func() error {
		resp, err := env.client.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
			Query: "PressroomStage = 'in_review' AND WorkflowType = 'ReportWorkflow'"})
		if err != nil {
			return err
		}
		for _, e := range resp.GetExecutions() {
			if e.GetExecution().GetWorkflowId() == "report/"+slug {
				return nil
			}
		}
		return fmt.Errorf("not listed yet")
	})

	// The worker dies mid-review; a new one picks the work up.
	w.kill()
	w = startWorker(t, queue)

	// Refusals by the validator: exit code 3 and a message that says why.
	if r := pressroom(t, dir, queue, "review", slug, "fr", "--as", "mallory", "--approve"); r.code != 3 || !strings.Contains(r.stderr, "not the assignee") {
		t.Fatalf("wrong reviewer: exit %d, stderr %q", r.code, r.stderr)
	}
	bogus := filepath.Join(dir, "bogus.json")
	os.WriteFile(bogus, []byte(`{"p-0000000000": "x"}`), 0o644)
	if r := pressroom(t, dir, queue, "review", slug, "fr", "--as", "claire", "--edits", bogus); r.code != 3 || !strings.Contains(r.stderr, `unknown segment ID "p-0000000000"`) {
		t.Fatalf("unknown segment: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := pressroom(t, dir, queue, "review", slug, "fr", "--as", "claire"); r.code != 2 {
		t.Fatalf("no action: exit %d, stderr %q", r.code, r.stderr)
	}

	// French: an edit of the title, then approve.
	const frTitle = "« Gouvernance mondiale des droits de l'homme » : un événement parallèle à la 45e session {{.Session}} <b>"
	edits := filepath.Join(dir, "fr-edits.json")
	b, _ := json.Marshal(map[string]string{"title": frTitle})
	os.WriteFile(edits, b, 0o644)
	out := mustPressroom(t, dir, queue, "review", slug, "fr", "--as", "claire", "--edits", edits)
	if !strings.Contains(out, "in_review") {
		t.Fatalf("edit should stay in review: %s", out)
	}
	// Russian through a CAT tool: XLIFF out, one target changed, back in.
	ru, err := env.svc.TaskDetail(context.Background(), slug, "ru")
	if err != nil {
		t.Fatal(err)
	}
	xlf := filepath.Join(dir, "ru.xlf")
	mustPressroom(t, dir, queue, "xliff", "export", slug, "ru", "-o", xlf)
	file, _ := os.ReadFile(xlf)
	edited := strings.Replace(string(file), xmlEscape(ru.Segments[1].Target), "Исправленный абзац: 23 января 2024 года, 45-я сессия.", 1)
	if edited == string(file) {
		t.Fatal("ru target not found in the exported XLIFF")
	}
	os.WriteFile(xlf, []byte(edited), 0o644)
	frXLF := filepath.Join(dir, "fr.xlf")
	mustPressroom(t, dir, queue, "xliff", "export", slug, "fr", "-o", frXLF)
	if r := pressroom(t, dir, queue, "xliff", "import", slug, "ru", frXLF, "--as", "dmitri"); r.code != 2 || !strings.Contains(r.stderr, "nothing was changed") {
		t.Fatalf("another task's file: exit %d %s", r.code, r.stderr)
	}
	if out := mustPressroom(t, dir, queue, "xliff", "import", slug, "ru", xlf, "--as", "dmitri"); !strings.Contains(out, "saved 1 changed segments") {
		t.Fatalf("xliff import: %s", out)
	}
	ru, _ = env.svc.TaskDetail(context.Background(), slug, "ru")
	if ru.Segments[1].Target != "Исправленный абзац: 23 января 2024 года, 45-я сессия." || ru.Segments[1].Provenance != "human:dmitri" {
		t.Fatalf("after xliff import: %+v", ru.Segments[1])
	}

	// Spanish: rejected once, translated again, then approved.
	mustPressroom(t, dir, queue, "review", slug, "es", "--as", "sofia", "--reject", "--comment", "use the UN glossary")
	eventually(t, time.Minute, "es back in review", func() error {
		ls, err := env.svc.LocaleStatus(context.Background(), slug, "es")
		if err != nil {
			return err
		}
		if ls.Stage != workflows.StageInReview || ls.Round != 2 {
			return fmt.Errorf("es stage %s round %d", ls.Stage, ls.Round)
		}
		return nil
	})
	for l, u := range seedReviewers {
		mustPressroom(t, dir, queue, "review", slug, l, "--as", u, "--approve")
	}
	// A retried approve is the same Update: idempotent, not an error.
	mustPressroom(t, dir, queue, "review", slug, "ar", "--as", "amal", "--approve")

	var st workflows.ReportStatus
	eventually(t, 2*time.Minute, "published", func() error {
		if err := json.Unmarshal([]byte(mustPressroom(t, dir, queue, "status", slug, "--json")), &st); err != nil {
			return err
		}
		if st.Stage != workflows.StagePublished {
			return fmt.Errorf("stage %s %s", st.Stage, st.Error)
		}
		return nil
	})
	human := mustPressroom(t, dir, queue, "status", slug)
	for _, want := range []string{"published", "claire", "use the UN glossary", "release v1"} {
		if !strings.Contains(human, want) {
			t.Errorf("status output lacks %q:\n%s", want, human)
		}
	}
	if err := w.stop(); err != nil {
		t.Errorf("worker did not stop cleanly: %v\n%s", err, w.logs)
	}

	m := verifyRelease(t, slug, 1)
	if m.Titles["fr"] != frTitle {
		t.Errorf("fr title in manifest = %q, want the edited %q", m.Titles["fr"], frTitle)
	}
	for _, l := range []string{"en", "ar", "zh-Hans", "fr", "ru", "es"} {
		if !slices.Contains(m.Locales, l) {
			t.Errorf("release lacks %s", l)
		}
	}
	ar := mustGet(t, store.SitePageKey("ar", slug))
	if !strings.Contains(string(ar), `dir="rtl"`) || !strings.Contains(string(ar), `lang="ar"`) {
		t.Errorf("Arabic page is not rtl")
	}
	fr := string(mustGet(t, store.SitePageKey("fr", slug)))
	if !strings.Contains(fr, "{{.Session}} &lt;b&gt;") {
		t.Errorf("fr page does not show the edited title as escaped text")
	}
	seedText, _ := os.ReadFile(seed)
	if strings.Contains(string(mustGet(t, store.SitePageKey("en", slug))), "size: A A A") || !strings.Contains(string(seedText), "size: A A A") {
		t.Errorf("site chrome from the seed leaked into the page")
	}
}

func mustGet(t *testing.T, key string) []byte {
	t.Helper()
	b, err := env.store.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// frontPage is locale's list front page as the reader site renders it.
func frontPage(t *testing.T, locale string) string {
	t.Helper()
	b, err := sitelist.Front(context.Background(), env.store, locale)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// verifyRelease reads every object of a release back and checks it: the
// sha256 and size in the manifest, its metadata, the catalogs through
// go-i18n against the approved drafts, and the site copies.
func verifyRelease(t *testing.T, slug string, version int) release.Manifest {
	t.Helper()
	ctx := context.Background()
	var latest release.Latest
	if err := json.Unmarshal(mustGet(t, store.LatestKey(slug)), &latest); err != nil {
		t.Fatal(err)
	}
	if latest.Version != version || latest.Manifest != store.ManifestKey(slug, version) {
		t.Fatalf("latest.json = %+v, want v%d", latest, version)
	}
	var m release.Manifest
	if err := json.Unmarshal(mustGet(t, latest.Manifest), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Objects) != 1+4*len(m.Locales)+len(m.Locales)-1 || m.Objects[0].Key != store.ReleaseClaimKey(slug, version) {
		t.Errorf("%d objects for %d locales, want the claim, 4 each and a provenance per target", len(m.Objects), len(m.Locales))
	}
	for _, o := range m.Objects {
		body, meta, err := env.store.GetWithMeta(ctx, o.Key)
		if err != nil {
			t.Errorf("%s: %v", o.Key, err)
			continue
		}
		if store.SHA256(body) != o.SHA256 || int64(len(body)) != o.Size {
			t.Errorf("%s: stored sha256/size differ from the manifest", o.Key)
		}
		if meta.ContentType != o.Type || meta.CacheControl != release.CacheImmutable {
			t.Errorf("%s: metadata %+v, manifest says %s", o.Key, meta, o.Type)
		}
		if o.Language != "" && meta.ContentLanguage != o.Language {
			t.Errorf("%s: Content-Language %q, want %q", o.Key, meta.ContentLanguage, o.Language)
		}
	}
	// Catalogs: a consumer loads them with go-i18n and gets the approved
	// text back exactly. The manifest names the drafts it was made from.
	var src report.Report
	if err := json.Unmarshal(mustGet(t, store.SourceKey(slug, m.SourceSHA256)), &src); err != nil {
		t.Fatal(err)
	}
	approved := map[string]map[string]string{src.Source: {}}
	for _, s := range src.Segments {
		approved[src.Source][s.ID] = s.Text
	}
	if len(m.Drafts) != len(m.Locales)-1 {
		t.Fatalf("manifest names %d drafts for %d targets", len(m.Drafts), len(m.Locales)-1)
	}
	for _, d := range m.Drafts {
		b := mustGet(t, d.Key)
		if store.SHA256(b) != d.SHA256 {
			t.Fatalf("draft %s does not match its sha256", d.Key)
		}
		var tr report.Translation
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatal(err)
		}
		approved[d.Locale] = map[string]string{}
		for _, s := range tr.Segments {
			approved[d.Locale][s.ID] = s.Text
		}
	}
	for locale, texts := range approved {
		for _, ext := range []string{"toml", "json"} {
			bundle := i18n.NewBundle(language.English)
			bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
			key := store.ReleaseCatalogKey(slug, version, locale, ext)
			if _, err := bundle.ParseMessageFileBytes(mustGet(t, key), "active."+locale+"."+ext); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			loc := i18n.NewLocalizer(bundle, locale)
			for id, want := range texts {
				got, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
				if err != nil || got != want {
					t.Errorf("%s %s: got %q (%v), want %q", key, id, got, err, want)
				}
			}
		}
		page := mustGet(t, store.ReleasePageKey(slug, version, locale))
		if site := mustGet(t, store.SitePageKey(locale, slug)); string(site) != string(page) {
			t.Errorf("site page for %s is not the release page", locale)
		}
		if idx := frontPage(t, locale); !strings.Contains(idx, slug) {
			t.Errorf("site index for %s does not list %s", locale, slug)
		}
	}
	return m
}
