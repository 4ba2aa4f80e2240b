package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/devstack"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
)

const riverReport = `---
title: River clean-up gathers volunteers
slug: river-cleanup
source: en
summary: Volunteers cleaned the river banks on Saturday.
---

Volunteers collected rubbish along the river on Saturday.

The city thanked the volunteers for their work on the river banks.

More than 200 people took part, and the next clean-up is planned for {{.Date}}.

Details are on [the city website](https://example.org/river).
`

const riverTMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="en" datatype="plaintext"/>
  <body>
    <tu><tuv xml:lang="en"><seg>Volunteers collected rubbish along the river on Saturday.</seg></tuv>
        <tuv xml:lang="es"><seg>Los voluntarios recogieron basura a lo largo del río el sábado.</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>The city thanked all the volunteers for their work on the river banks.</seg></tuv>
        <tuv xml:lang="es"><seg>La ciudad agradeció a todos los voluntarios su trabajo en las orillas del río.</seg></tuv></tu>
  </body>
</tmx>
`

// Real Apertium for es and ca, pseudo for fr; a TMX imported through the
// CLI fills exact matches and offers fuzzy ones; QA errors block approval
// and the CLI says why per segment; the published release enters the
// memory; a revision with one paragraph changed machine-translates only it.
func TestMachineTranslationMemoryAndChecks(t *testing.T) {
	ctx := context.Background()
	port, _ := devstack.FreePort("127.0.0.1")
	apy, err := devstack.StartAPy(ctx, "127.0.0.1", port, nil)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("real Apertium is required under CI=true: %v", err)
		}
		t.Skipf("Apertium not installed (make apertium): %v", err)
	}
	defer apy.Stop()
	const queue = "it-mt"
	router, err := mt.ParseRouting("es=apertium,ca=apertium,*=pseudo", mt.Lookup(mt.Settings{ApertiumURL: apy.URL}, nil))
	if err != nil {
		t.Fatal(err)
	}
	w := app.NewWorker(env.client, queue, &activities.Activities{Store: env.store, Translator: router,
		Memories: &tmstore.Memories{Store: env.store}, QA: qa.DefaultConfig()})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	svc := &service.Service{Temporal: env.client, Store: env.store, TaskQueue: queue}
	dir := t.TempDir()
	tmx := filepath.Join(dir, "river.tmx")
	writeFile(tmx, riverTMX)
	if out := mustPressroom(t, dir, queue, "tm", "import", tmx); !strings.Contains(out, "imported 2 translation units") {
		t.Fatalf("tm import: %s", out)
	}
	report := filepath.Join(dir, "river.md")
	writeFile(report, riverReport)
	mustPressroom(t, dir, queue, "submit", report, "--to", "es,ca,fr", "--reviewer", "es=sofia", "--reviewer", "ca=jordi", "--reviewer", "fr=claire")
	waitInReview(t, "river-cleanup", "es", "ca", "fr")

	es, err := svc.TaskDetail(ctx, "river-cleanup", "es")
	if err != nil {
		t.Fatal(err)
	}
	if es.Status.Provenance["tm-exact"] != 1 || es.Status.Provenance["mt:apertium"] != 5 {
		t.Fatalf("es provenance %v, want tm-exact×1 mt:apertium×5", es.Status.Provenance)
	}
	byText := map[string]service.TaskSegment{}
	for _, s := range es.Segments {
		byText[s.Source] = s
		if strings.ContainsAny(s.Target, "*#@") {
			t.Errorf("unknown-word marks in %s: %q", s.ID, s.Target)
		}
	}
	exact := byText["Volunteers collected rubbish along the river on Saturday."]
	if exact.Provenance != "tm-exact" || exact.Target != "Los voluntarios recogieron basura a lo largo del río el sábado." {
		t.Errorf("exact match: %+v", exact)
	}
	fuzzy := byText["The city thanked the volunteers for their work on the river banks."]
	if fuzzy.Provenance != "mt:apertium" || len(fuzzy.Suggestions) != 1 || fuzzy.Suggestions[0].Score < 75 || !strings.HasPrefix(fuzzy.Suggestions[0].Provenance, "tm-fuzzy") {
		t.Errorf("fuzzy match: %+v", fuzzy)
	}
	mtSeg := byText["More than 200 people took part, and the next clean-up is planned for {{.Date}}."]
	link := byText["Details are on [the city website](https://example.org/river)."]
	if !strings.Contains(mtSeg.Target, "{{.Date}}") || !strings.Contains(mtSeg.Target, "200") || !strings.Contains(link.Target, "](https://example.org/river)") {
		t.Errorf("markup lost in MT: %q / %q", mtSeg.Target, link.Target)
	}
	if mtSeg.Target == mtSeg.Source {
		t.Errorf("not translated: %q", mtSeg.Target)
	}
	ca, _ := svc.LocaleStatus(ctx, "river-cleanup", "ca")
	if ca.Provenance["mt:apertium"] != 6 {
		t.Errorf("ca provenance %v", ca.Provenance)
	}
	status := mustPressroom(t, dir, queue, "status", "river-cleanup")
	if !strings.Contains(status, "tm-exact×1") || !strings.Contains(status, "mt:apertium×5") {
		t.Errorf("status does not show provenance:\n%s", status)
	}
	if task := mustPressroom(t, dir, queue, "task", "river-cleanup", "es"); !strings.Contains(task, "suggestion (tm-fuzzy") {
		t.Errorf("task does not show the fuzzy suggestion:\n%s", task)
	}

	// A French edit drops the placeholder: approval is refused, per segment.
	edits := filepath.Join(dir, "fr.json")
	b, _ := json.Marshal(map[string]string{mtSeg.ID: "Plus de 200 personnes ont participé."})
	os.WriteFile(edits, b, 0o644)
	out := mustPressroom(t, dir, queue, "review", "river-cleanup", "fr", "--as", "claire", "--edits", edits)
	if !strings.Contains(out, "1 errors") {
		t.Errorf("edit result does not report the check error: %s", out)
	}
	r := pressroom(t, dir, queue, "review", "river-cleanup", "fr", "--as", "claire", "--approve")
	if r.code != 3 || !strings.Contains(r.stderr, "segment "+mtSeg.ID) || !strings.Contains(r.stderr, "placeholder {{.Date}} is missing") {
		t.Fatalf("approve with a QA error: exit %d\n%s", r.code, r.stderr)
	}
	b, _ = json.Marshal(map[string]string{mtSeg.ID: "Plus de 200 personnes ont participé ; le prochain nettoyage est prévu le {{.Date}}."})
	os.WriteFile(edits, b, 0o644)
	mustPressroom(t, dir, queue, "review", "river-cleanup", "fr", "--as", "claire", "--edits", edits)
	for l, u := range map[string]string{"fr": "claire", "es": "sofia", "ca": "jordi"} {
		mustPressroom(t, dir, queue, "review", "river-cleanup", l, "--as", u, "--approve")
	}
	if _, err := svc.Wait(ctx, "river-cleanup"); err != nil {
		t.Fatal(err)
	}

	// The release entered the memory: export it as TMX and read it back.
	exported := mustPressroom(t, dir, queue, "tm", "export", "--pair", "en-es")
	entries, err := tm.ReadTMX("export.tmx", strings.NewReader(exported))
	if err != nil {
		t.Fatalf("exported TMX does not read back: %v\n%s", err, exported)
	}
	found := false
	for _, e := range entries {
		if e.Source == mtSeg.Source && e.Target == mtSeg.Target && e.Approver == "sofia" && e.Slug == "river-cleanup" {
			found = true
		}
	}
	if !found {
		t.Errorf("approved MT segment not in the exported memory (%d entries)", len(entries))
	}

	// A revision with one paragraph changed: only it is machine-translated.
	revised := strings.Replace(riverReport, "More than 200 people", "More than 250 people", 1)
	writeFile(report, revised)
	mustPressroom(t, dir, queue, "submit", report, "--to", "es,ca,fr")
	waitInReview(t, "river-cleanup", "es", "ca")
	eventually(t, time.Minute, "revision drafted", func() error {
		for _, l := range []string{"es", "ca"} {
			ls, err := svc.LocaleStatus(ctx, "river-cleanup", l)
			if err != nil {
				return err
			}
			// The unchanged segments carry their approved text from v1
			// (issue 10): only the changed one is drafted and reviewed.
			if ls.Provenance["mt:apertium"] != 1 || ls.Provenance["approved"] != 5 || ls.Review != 1 || ls.CarriedFrom != 1 {
				return fmt.Errorf("%s provenance %v (review %d, carried from v%d), want mt:apertium×1 approved×5", l, ls.Provenance, ls.Review, ls.CarriedFrom)
			}
		}
		return nil
	})
	mustPressroom(t, dir, queue, "tasks", "--slug", "river-cleanup")
	if err := svc.Cancel(ctx, "river-cleanup"); err != nil {
		t.Fatal(err)
	}
}
