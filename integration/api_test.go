package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/internal/webhook"
	"github.com/pressroom/pressroom/workflows"
)

// receiver is a webhook endpoint: it verifies signatures and processes
// each idempotency key once, as a real receiver should.
type receiver struct {
	secret []byte
	mu     sync.Mutex
	seen   map[string]int
	events []workflows.Event
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(rc.secret, r.Header, body, time.Now(), 5*time.Minute); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var e workflows.Event
	if err := json.Unmarshal(body, &e); err != nil || e.ID != r.Header.Get(webhook.HeaderIdempotency) {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.seen[e.ID]++
	if rc.seen[e.ID] == 1 {
		rc.events = append(rc.events, e)
	}
}

func (rc *receiver) of(slug string) []workflows.Event {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []workflows.Event
	for _, e := range rc.events {
		if e.Slug == slug {
			out = append(out, e)
		}
	}
	return out
}

func (rc *receiver) count(slug, typ string) int {
	n := 0
	for _, e := range rc.of(slug) {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// apiEnv is a worker with a webhook and the API server, against the
// shared real Temporal and S3.
type apiEnv struct {
	url    string
	tokens map[string]string
	hook   *receiver
}

func startAPI(t *testing.T, queue string) *apiEnv {
	t.Helper()
	hook := &receiver{secret: []byte("hook-secret"), seen: map[string]int{}}
	hookSrv := httptest.NewServer(hook)
	t.Cleanup(hookSrv.Close)
	acts := &activities.Activities{Store: env.store, Translator: mt.NewRouter(nil, []mt.Provider{mt.Pseudo{}}),
		Memories: &tmstore.Memories{Store: env.store}, QA: qa.DefaultConfig(),
		Webhook: &webhook.Sender{URL: hookSrv.URL, Secret: hook.secret}}
	w := app.NewWorker(env.client, queue, acts)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)

	path := filepath.Join(t.TempDir(), "users.json")
	users, err := auth.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, u := range []struct {
		name    string
		role    auth.Role
		locales []string
	}{{"edith", auth.RoleEditor, nil}, {"root", auth.RoleAdmin, nil}, {"claire", auth.RoleTranslator, []string{"fr"}},
		{"bernard", auth.RoleTranslator, []string{"fr"}}, {"amal", auth.RoleTranslator, []string{"ar"}}} {
		tok, err := users.Add(u.name, u.role, u.locales)
		if err != nil {
			t.Fatal(err)
		}
		tokens[u.name] = tok
	}
	svc := &service.Service{Temporal: env.client, Store: env.store, TaskQueue: queue, Events: true}
	srv := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc, Users: users}))
	t.Cleanup(srv.Close)
	return &apiEnv{url: srv.URL, tokens: tokens, hook: hook}
}

// call makes one API request as user ("" is anonymous) and returns the
// status and the decoded JSON body.
func (a *apiEnv) call(t *testing.T, user, method, path string, body []byte, header ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, a.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[user])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (a *apiEnv) must(t *testing.T, want int, user, method, path string, body []byte, header ...string) []byte {
	t.Helper()
	code, b := a.call(t, user, method, path, body, header...)
	if code != want {
		t.Fatalf("%s %s %s: %d, want %d: %s", user, method, path, code, want, b)
	}
	return b
}

const apiReport = `---
title: Library opens a reading garden
source: en
summary: A quiet garden for readers opens on 1 June.
---

The city library opens its reading garden on 1 June, with 40 seats and free wifi.

Visitors can borrow books at the garden desk from 10:00 to 18:00.
`

func (a *apiEnv) submit(t *testing.T, slug, query string) {
	t.Helper()
	a.must(t, http.StatusCreated, "edith", "POST", "/api/reports?slug="+slug+"&"+query, []byte(apiReport), "Content-Type", "text/markdown")
}

func waitInReview(t *testing.T, slug string, locales ...string) {
	t.Helper()
	for _, l := range locales {
		eventually(t, 2*time.Minute, slug+" "+l+" in review", func() error {
			ls, err := env.svc.LocaleStatus(context.Background(), slug, l)
			if err != nil {
				return err
			}
			if ls.Stage != workflows.StageInReview {
				return fmt.Errorf("stage %s", ls.Stage)
			}
			return nil
		})
	}
}

// Every route against every role, anonymous included.
func TestAPIRoleMatrix(t *testing.T) {
	a := startAPI(t, "it-api-roles")
	const slug = "api-roles"
	a.submit(t, slug, "to=fr,ar&reviewer=fr:claire&reviewer=ar:amal")
	waitInReview(t, slug, "fr", "ar")
	eventually(t, time.Minute, "tasks visible", func() error {
		var ts []service.Task
		json.Unmarshal(a.must(t, 200, "edith", "GET", "/api/tasks?slug="+slug, nil), &ts)
		if len(ts) != 2 {
			return fmt.Errorf("%d tasks", len(ts))
		}
		return nil
	})

	badReport := []byte("---\ntitle: T\nslug: Not Valid\n---\n\nBody.\n")
	edit := []byte(`{"text": "Titre révisé"}`)
	rows := []struct {
		method, path string
		body         []byte
		want         map[string]int // user → status; "" anonymous, "bogus" a wrong token
	}{
		{"POST", "/api/reports?to=fr", badReport, map[string]int{"": 401, "bogus": 401, "edith": 400, "root": 400, "claire": 403, "amal": 403}},
		{"GET", "/api/reports", nil, map[string]int{"": 401, "edith": 200, "root": 200, "claire": 403}},
		{"GET", "/api/reports/" + slug, nil, map[string]int{"": 401, "edith": 200, "root": 200, "claire": 403, "amal": 403}},
		{"GET", "/api/reports/no-such-report", nil, map[string]int{"edith": 404, "claire": 403}},
		{"POST", "/api/reports/" + slug + "/approve", nil, map[string]int{"": 401, "edith": 409, "claire": 403, "amal": 403}},
		{"POST", "/api/reports/no-such-report/cancel", nil, map[string]int{"": 401, "edith": 404, "claire": 403}},
		{"POST", "/api/reports/" + slug + "/schedule", []byte(`{"clear": true}`), map[string]int{"": 401, "edith": 200, "root": 200, "claire": 403, "amal": 403}},
		{"POST", "/api/reports/" + slug + "/schedule", []byte(`{"at": "soon"}`), map[string]int{"edith": 400}},
		{"POST", "/api/reports/no-such-report/schedule", []byte(`{"clear": true}`), map[string]int{"edith": 404}},
		{"GET", "/api/reports/" + slug + "/audit", nil, map[string]int{"": 401, "edith": 200, "root": 200, "bernard": 403}},
		{"GET", "/api/tasks", nil, map[string]int{"": 401, "bogus": 401, "edith": 200, "claire": 200, "amal": 200, "bernard": 200}},
		{"GET", "/api/tasks/" + slug + "/fr", nil, map[string]int{"": 401, "edith": 200, "root": 200, "claire": 200, "bernard": 403, "amal": 403}},
		{"GET", "/api/tasks/" + slug + "/fr/xliff", nil, map[string]int{"": 401, "claire": 200, "amal": 403, "bernard": 403}},
		{"PUT", "/api/tasks/" + slug + "/fr/segments/title", edit, map[string]int{"": 401, "edith": 403, "amal": 403, "bernard": 403, "claire": 200}},
		{"PUT", "/api/tasks/" + slug + "/fr/segments/p-0000000000", edit, map[string]int{"claire": 409}},
		{"POST", "/api/tasks/" + slug + "/ar/reject", []byte(`{"comment": "x"}`), map[string]int{"": 401, "edith": 403, "claire": 403, "bernard": 403}},
		{"POST", "/api/tasks/" + slug + "/ar/reject", []byte(`{}`), map[string]int{"amal": 400}},
		{"POST", "/api/tasks/" + slug + "/fr/approve", nil, map[string]int{"": 401, "edith": 403, "amal": 403, "bernard": 403}},
	}
	for _, row := range rows {
		for user, want := range row.want {
			code, body := a.call(t, user, row.method, row.path, row.body)
			if code != want {
				t.Errorf("%-7s %s %s: %d, want %d: %s", user, row.method, row.path, code, want, body)
			}
			var e map[string]any
			if code >= 400 && (json.Unmarshal(body, &e) != nil || e["error"] == "") {
				t.Errorf("%s %s: error body is not JSON with a message: %s", row.method, row.path, body)
			}
			// Every 409 here is a typed refusal a client can act on.
			if code == http.StatusConflict && e["type"] == nil {
				t.Errorf("%s %s: 409 without its refusal type: %s", row.method, row.path, body)
			}
		}
	}
	// Translators see only their own tasks.
	var ts []service.Task
	json.Unmarshal(a.must(t, 200, "amal", "GET", "/api/tasks?slug="+slug, nil), &ts)
	if len(ts) != 1 || ts[0].Locale != "ar" {
		t.Errorf("amal sees %+v", ts)
	}
	json.Unmarshal(a.must(t, 200, "bernard", "GET", "/api/tasks?slug="+slug, nil), &ts)
	if len(ts) != 0 {
		t.Errorf("bernard sees claire's task: %+v", ts)
	}

	// Finish: approvals (a retried approve is the same Update), then publish.
	a.must(t, 200, "claire", "POST", "/api/tasks/"+slug+"/fr/approve", nil)
	a.must(t, 200, "amal", "POST", "/api/tasks/"+slug+"/ar/approve", nil)
	a.must(t, 200, "amal", "POST", "/api/tasks/"+slug+"/ar/approve", nil)
	eventually(t, 2*time.Minute, "published event", func() error {
		if a.hook.count(slug, workflows.EventReportPublished) != 1 {
			return fmt.Errorf("events so far: %+v", a.hook.of(slug))
		}
		return nil
	})
	if a.hook.count(slug, workflows.EventTaskAssigned) != 2 || a.hook.count(slug, workflows.EventLocaleApproved) != 2 {
		t.Errorf("events: %+v", a.hook.of(slug))
	}
	var audit []service.AuditEntry
	json.Unmarshal(a.must(t, 200, "edith", "GET", "/api/reports/"+slug+"/audit", nil), &audit)
	var saw []string
	for _, e := range audit {
		saw = append(saw, e.Locale+":"+e.Who+":"+e.Action+":"+strings.Join(e.Segments, ","))
	}
	for _, want := range []string{":edith:submitted:", "fr:claire:edited:title", "fr:claire:approved:", "ar:amal:approved:", "::published:"} {
		if !strings.Contains(strings.Join(saw, "\n"), want) {
			t.Errorf("audit lacks %q:\n%s", want, strings.Join(saw, "\n"))
		}
	}
}

// Two translators of the fr pool save the same segment from the same
// draft: the second gets 409 with the current text and who changed it.
func TestAPIEditConflict(t *testing.T) {
	a := startAPI(t, "it-api-conflict")
	const slug = "api-conflict"
	a.submit(t, slug, "to=fr")
	waitInReview(t, slug, "fr")
	var task service.TaskDetail
	json.Unmarshal(a.must(t, 200, "bernard", "GET", "/api/tasks/"+slug+"/fr", nil), &task)
	base := task.Status.Draft.SHA256
	claires := []byte(fmt.Sprintf(`{"text": "Version de Claire", "base_draft": %q}`, base))
	a.must(t, 200, "claire", "PUT", "/api/tasks/"+slug+"/fr/segments/title", claires)
	// The same save again (a retry whose first answer was lost) is the
	// same Update, applied once: no conflict with itself.
	a.must(t, 200, "claire", "PUT", "/api/tasks/"+slug+"/fr/segments/title", claires)
	code, body := a.call(t, "bernard", "PUT", "/api/tasks/"+slug+"/fr/segments/title", []byte(fmt.Sprintf(`{"text": "Version de Bernard", "base_draft": %q}`, base)))
	var c map[string]any
	json.Unmarshal(body, &c)
	if code != http.StatusConflict || c["current_text"] != "Version de Claire" || c["changed_by"] != "claire" {
		t.Fatalf("second save: %d %s", code, body)
	}
	// Another segment from the same old draft is no conflict.
	a.must(t, 200, "bernard", "PUT", "/api/tasks/"+slug+"/fr/segments/summary", []byte(fmt.Sprintf(`{"text": "Un jardin de lecture ouvre le 1 juin.", "base_draft": %q}`, base)))
	json.Unmarshal(a.must(t, 200, "claire", "GET", "/api/tasks/"+slug+"/fr", nil), &task)
	if task.Segments[0].Target != "Version de Claire" || !strings.HasPrefix(task.Segments[0].Provenance, "human:claire") {
		t.Fatalf("title after the conflict: %+v", task.Segments[0])
	}
	a.must(t, 202, "edith", "POST", "/api/reports/"+slug+"/cancel", nil)
	eventually(t, time.Minute, "cancelled", func() error {
		st, err := env.svc.Status(context.Background(), slug)
		if err != nil {
			return err
		}
		if st.Stage != workflows.StageCancelled {
			return fmt.Errorf("stage %s", st.Stage)
		}
		return nil
	})
}

// The deadline path on real durable timers: a reminder, then escalation
// to the fr pool, after which another fr translator may complete it.
func TestAPIDeadlineEscalates(t *testing.T) {
	a := startAPI(t, "it-api-deadline")
	const slug = "api-deadline"
	// The deadline counts from when the task is first in review.
	a.submit(t, slug, "to=fr&reviewer=fr:claire&deadline=fr:10s&remind_before=5s")
	waitInReview(t, slug, "fr")
	if code, _ := a.call(t, "bernard", "GET", "/api/tasks/"+slug+"/fr", nil); code != 403 {
		t.Fatalf("before the deadline bernard may see claire's task: %d", code)
	}
	eventually(t, time.Minute, "escalated", func() error {
		if a.hook.count(slug, workflows.EventTaskEscalated) != 1 {
			return fmt.Errorf("events: %+v", a.hook.of(slug))
		}
		return nil
	})
	if a.hook.count(slug, workflows.EventTaskReminder) != 1 {
		t.Errorf("no reminder before the deadline: %+v", a.hook.of(slug))
	}
	for _, e := range a.hook.of(slug) {
		if e.Type == workflows.EventTaskEscalated && e.Previous != "claire" {
			t.Errorf("escalation event %+v does not name claire", e)
		}
	}
	eventually(t, time.Minute, "pool task visible to bernard", func() error {
		var ts []service.Task
		json.Unmarshal(a.must(t, 200, "bernard", "GET", "/api/tasks?slug="+slug, nil), &ts)
		if len(ts) != 1 || ts[0].Assignee != workflows.PoolAssignee {
			return fmt.Errorf("bernard sees %+v", ts)
		}
		return nil
	})
	a.must(t, 200, "bernard", "POST", "/api/tasks/"+slug+"/fr/approve", nil)
	eventually(t, 2*time.Minute, "published", func() error {
		if a.hook.count(slug, workflows.EventReportPublished) != 1 {
			return fmt.Errorf("not yet")
		}
		return nil
	})
}

// XLIFF 2.0 out and back in; a file for another task and a malformed file
// are refused and change nothing.
func TestAPIXLIFFRoundTrip(t *testing.T) {
	a := startAPI(t, "it-api-xliff")
	const slug = "api-xliff"
	a.submit(t, slug, "to=fr,ar&reviewer=fr:claire&reviewer=ar:amal")
	waitInReview(t, slug, "fr", "ar")
	var before service.TaskDetail
	json.Unmarshal(a.must(t, 200, "claire", "GET", "/api/tasks/"+slug+"/fr", nil), &before)
	file := string(a.must(t, 200, "claire", "GET", "/api/tasks/"+slug+"/fr/xliff", nil))
	if !strings.Contains(file, `urn:oasis:names:tc:xliff:document:2.0`) {
		t.Fatalf("not XLIFF 2.0:\n%.400s", file)
	}
	// A translator edits the title target in a CAT tool.
	oldTitle := before.Segments[0].Target
	edited := strings.Replace(file, xmlEscape(oldTitle), "La bibliothèque ouvre un jardin de lecture", 1)
	if edited == file {
		t.Fatalf("title %q not found in the exported file", oldTitle)
	}
	// Wrong task: the ar file sent to fr. Malformed: cut in half.
	arFile := a.must(t, 200, "amal", "GET", "/api/tasks/"+slug+"/ar/xliff", nil)
	if code, body := a.call(t, "claire", "PUT", "/api/tasks/"+slug+"/fr/xliff", arFile); code != 422 {
		t.Errorf("another task's file: %d %s", code, body)
	}
	if code, body := a.call(t, "claire", "PUT", "/api/tasks/"+slug+"/fr/xliff", []byte(edited[:len(edited)/2])); code != 400 {
		t.Errorf("malformed file: %d %s", code, body)
	}
	var unchanged service.TaskDetail
	json.Unmarshal(a.must(t, 200, "claire", "GET", "/api/tasks/"+slug+"/fr", nil), &unchanged)
	if unchanged.Status.Draft != before.Status.Draft {
		t.Fatal("a refused file changed the draft")
	}
	var res map[string]any
	json.Unmarshal(a.must(t, 200, "claire", "PUT", "/api/tasks/"+slug+"/fr/xliff", []byte(edited)), &res)
	if res["changed"] != float64(1) {
		t.Fatalf("import: %v", res)
	}
	var after service.TaskDetail
	json.Unmarshal(a.must(t, 200, "claire", "GET", "/api/tasks/"+slug+"/fr", nil), &after)
	if after.Segments[0].Target != "La bibliothèque ouvre un jardin de lecture" || after.Segments[0].Provenance != "human:claire" {
		t.Fatalf("after import: %+v", after.Segments[0])
	}
	for i := 1; i < len(after.Segments); i++ {
		if after.Segments[i].Target != before.Segments[i].Target {
			t.Errorf("segment %s changed by the import", after.Segments[i].ID)
		}
	}
	a.must(t, 202, "edith", "POST", "/api/reports/"+slug+"/cancel", nil)
	// Cancelling the report cancels its locales: their tasks leave the list.
	eventually(t, time.Minute, "cancelled tasks gone", func() error {
		ts, err := env.svc.Tasks(context.Background(), service.TaskFilter{Slug: slug})
		if err != nil {
			return err
		}
		if len(ts) != 0 {
			return fmt.Errorf("still listed: %+v", ts)
		}
		return nil
	})
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
