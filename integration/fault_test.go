package integration

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/workflows"
)

// faultSeed is PRESSROOM_FAULT_SEED, or the clock; tests log it so a
// failing run can be repeated.
func faultSeed(t *testing.T) uint64 {
	if s := os.Getenv("PRESSROOM_FAULT_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("PRESSROOM_FAULT_SEED=%q: %v", s, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

var faultTargets = []string{"fr", "ar"}

func faultReport(slug string, i int) []byte {
	return []byte(fmt.Sprintf("---\ntitle: Fault report %d\nslug: %s\ndate: 2026-03-0%d\nsummary: Summary number %d.\n---\n\n"+
		"Paragraph one of report %d says the meeting opens.\n\nParagraph two of report %d lists *%d* delegations.\n\nParagraph three of report %d closes it.\n",
		i, slug, 1+i%9, i, i, i, 10+i, i))
}

// editedTitle is the reviewer's French title of report i (its number kept,
// as the quality checks require).
func editedTitle(i int) string { return fmt.Sprintf("Rapport corrigé %d", i) }

// phases tracks where each report is, to log what a kill interrupted.
type phases struct {
	mu sync.Mutex
	m  map[string]string
}

func (p *phases) set(slug, phase string) { p.mu.Lock(); p.m[slug] = phase; p.mu.Unlock() }

func (p *phases) snapshot() (map[string]int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out, open := map[string]int{}, 0
	for _, ph := range p.m {
		out[ph]++
		if ph != "done" {
			open++
		}
	}
	return out, open
}

// carry takes one report through translation, an edit, review and
// publish, as scripted reviewers would, retrying while the worker is
// away. Retried Updates carry the same Update ID, so each is applied once.
func (f *faultEnv) carry(ctx context.Context, dir, slug string, i int, edit bool, ph *phases, hold <-chan struct{}) error {
	ph.set(slug, "translating")
	err := retrying(ctx, "submit "+slug, func(ctx context.Context) error {
		return f.submit(ctx, dir, slug, faultReport(slug, i), "--to", strings.Join(faultTargets, ","), "--reviewer", "fr=claire", "--reviewer", "ar=amal")
	})
	if err != nil {
		return err
	}
	reviewer := map[string]string{"fr": "claire", "ar": "amal"}
	for _, l := range faultTargets {
		ls, err := f.waitStage(ctx, slug, l, workflows.StageInReview)
		if err != nil {
			return err
		}
		if edit && l == "fr" {
			ph.set(slug, "editing")
			req := service.ReviewRequest{Slug: slug, Locale: l, Reviewer: reviewer[l], Action: workflows.ActionEdit,
				Edits: map[string]string{"title": editedTitle(i)}, BaseDraft: ls.Draft.SHA256}
			if err := retrying(ctx, "edit "+slug, func(ctx context.Context) error { _, err := f.svc.Review(ctx, req); return err }); err != nil {
				return err
			}
		}
	}
	if hold != nil {
		ph.set(slug, "held in review")
		select {
		case <-hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ph.set(slug, "approving")
	for _, l := range faultTargets {
		err := retrying(ctx, "approve "+slug+"/"+l, func(ctx context.Context) error {
			ls, err := f.svc.LocaleStatus(ctx, slug, l)
			if err != nil {
				return err
			}
			switch ls.Stage {
			case workflows.StageApproved:
				return nil
			case workflows.StageInReview:
			default:
				return fmt.Errorf("stage %s", ls.Stage)
			}
			_, err = f.svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: l, Reviewer: reviewer[l], Action: workflows.ActionApprove})
			var refused *service.RefusedError
			if errors.As(err, &refused) { // e.g. a re-check still running after the edit: ask again
				return fmt.Errorf("refused for now: %w", errors.Unwrap(err))
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	ph.set(slug, "publishing")
	err = retrying(ctx, "publish "+slug, func(ctx context.Context) error {
		st, err := f.svc.Status(ctx, slug)
		if err != nil {
			return err
		}
		if st.Stage != workflows.StagePublished {
			return fmt.Errorf("stage %s", st.Stage)
		}
		return nil
	})
	if err == nil {
		ph.set(slug, "done")
	}
	return err
}

// Issue 9 fault injection: 20 reports through review and publish while
// the worker process is SIGKILLed and restarted at random moments.
func TestFaultWorkerKilledAtRandom(t *testing.T) {
	seed := faultSeed(t)
	t.Logf("seed %d (PRESSROOM_FAULT_SEED=%d repeats this run)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	f := newFaultEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	// Twelve kills, each after the worker had 2–6 s to make progress (a
	// race-built worker takes a second or two to start): more kills, or
	// closer together, and nothing but start-ups would be tested.
	const reports, minKills, maxKills = 20, 10, 12
	ph := &phases{m: map[string]string{}}
	var wg sync.WaitGroup
	errs := make(chan error, reports)
	slugs := make([]string, reports)
	gaps := make([]time.Duration, reports)
	for i := range reports {
		slugs[i] = fmt.Sprintf("fault-%02d", i)
		gaps[i] = time.Duration(300+rng.IntN(900)) * time.Millisecond
		ph.set(slugs[i], "waiting")
	}
	dir := t.TempDir()
	w := f.startWorker(t)
	done := make(chan struct{})
	var kills []string
	killerDone := make(chan struct{})
	// The last reports wait in review until enough kills have happened:
	// however fast the others complete, kills keep meeting open reports.
	const held = 2
	enough := make(chan struct{})
	go func() {
		defer close(killerDone)
		defer func() {
			if len(kills) < minKills {
				close(enough)
			}
		}()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(2000+rng.IntN(4000)) * time.Millisecond):
			}
			snap, open := ph.snapshot()
			if open == 0 || len(kills) == maxKills {
				return
			}
			w.kill()
			kills = append(kills, fmt.Sprintf("%v", snap))
			if len(kills) == minKills {
				close(enough)
			}
			time.Sleep(time.Duration(100+rng.IntN(900)) * time.Millisecond)
			w = f.startWorker(t)
		}
	}()
	for i, slug := range slugs {
		time.Sleep(gaps[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			var hold <-chan struct{}
			if i >= reports-held {
				hold = enough
			}
			if err := f.carry(ctx, dir, slug, i, i%2 == 0, ph, hold); err != nil {
				errs <- fmt.Errorf("%s: %w", slug, err)
			}
		}()
	}
	wg.Wait()
	close(done)
	<-killerDone
	close(errs)
	for i, k := range kills {
		t.Logf("kill %d while reports were %s", i+1, k)
	}
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	if len(kills) < minKills {
		t.Fatalf("only %d kills happened while reports were open; want at least %d (seed %d)", len(kills), minKills, seed)
	}

	// Every report published once, complete, and the memory and the
	// webhook receiver saw each approved segment and event once.
	tmSeen := map[string]int{}
	for _, l := range faultTargets {
		keys, err := f.store.ListKeys(ctx, store.TMPrefix("en", l))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			es, err := tm.DecodeShard(k, mustGetFrom(t, f.store, k))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				tmSeen[e.Slug+"/"+l+"/"+e.SegmentID]++
			}
		}
	}
	for i, slug := range slugs {
		m := f.checkPublished(t, slug)
		var src report.Report
		if err := f.store.GetJSON(ctx, store.SourceKey(slug, m.SourceSHA256), &src); err != nil {
			t.Fatal(err)
		}
		for _, l := range faultTargets {
			for _, s := range src.Segments {
				if n := tmSeen[slug+"/"+l+"/"+s.ID]; n != 1 {
					t.Errorf("%s %s segment %s is in the memory %d times", slug, l, s.ID, n)
				}
			}
		}
		if i%2 == 0 && m.Titles["fr"] != editedTitle(i) {
			t.Errorf("%s: the saved edit is not published: fr title %q", slug, m.Titles["fr"])
		}
	}
	eventually(t, 2*time.Minute, "every webhook event delivered", func() error {
		for _, slug := range slugs {
			for typ, want := range map[string]int{workflows.EventReportPublished: 1, workflows.EventLocaleApproved: len(faultTargets), workflows.EventTaskAssigned: len(faultTargets)} {
				if got := f.hook.count(slug, typ); got != want {
					return fmt.Errorf("%s: %d %s events, want %d", slug, got, typ, want)
				}
			}
		}
		return nil
	})
}

func mustGetFrom(t *testing.T, s *store.Store, key string) []byte {
	t.Helper()
	b, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Issue 9 fault injection: versitygw stops while reports publish and
// comes back on the same port and data. The reports complete; no read of
// latest.json or a site page, before, during or after, shows a partial
// release.
func TestFaultS3DownMidPublish(t *testing.T) {
	f := newFaultEnv(t)
	f.startWorker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	slugs := []string{"outage-0", "outage-1", "outage-2", "outage-3"}
	for i, slug := range slugs {
		if _, err := f.svc.Submit(ctx, service.SubmitRequest{Name: slug + ".md", Data: faultReport(slug, i), Options: report.Options{Targets: faultTargets}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, slug := range slugs {
		for _, l := range faultTargets {
			if _, err := f.waitStage(ctx, slug, l, workflows.StageInReview); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "fr", Reviewer: "rev", Action: workflows.ActionApprove}); err != nil {
			t.Fatal(err)
		}
	}

	// A reader polls every pointer and page throughout.
	stop := make(chan struct{})
	var problems []string
	var reads, unavailable int
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, slug := range slugs {
				rctx, rcancel := context.WithTimeout(ctx, 2*time.Second)
				problems = append(problems, f.readerSees(rctx, slug, &reads, &unavailable)...)
				rcancel()
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()

	// The last approvals start every publish at once; S3 goes away under them.
	var wg sync.WaitGroup
	for _, slug := range slugs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "ar", Reviewer: "rev", Action: workflows.ActionApprove}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	time.Sleep(30 * time.Millisecond)
	if err := f.stack.StopServer("versitygw"); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	time.Sleep(20 * time.Second)
	// The outage must hit publishes, not follow them.
	interrupted, stages := 0, map[workflows.Stage]int{}
	for _, slug := range slugs {
		st, err := f.svc.Status(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		stages[st.Stage]++
		if st.Stage != workflows.StagePublished {
			interrupted++
		}
	}
	if interrupted == 0 {
		t.Fatal("every report was published before S3 went down: the test proves nothing")
	}
	t.Logf("%d of %d reports unpublished during the outage (stages %v)", interrupted, len(slugs), stages)
	if err := f.stack.StartServer(ctx, "versitygw"); err != nil {
		t.Fatal(err)
	}
	t.Logf("versitygw was down for %s", time.Since(down).Round(time.Second))
	for _, slug := range slugs {
		if err := retrying(ctx, slug+" published", func(ctx context.Context) error {
			st, err := f.svc.Status(ctx, slug)
			if err != nil {
				return err
			}
			if st.Stage != workflows.StagePublished {
				return fmt.Errorf("stage %s", st.Stage)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	<-readerDone
	t.Logf("reader: %d reads answered, %d unavailable during the outage", reads, unavailable)
	if unavailable == 0 {
		t.Error("no read failed: the outage did not happen while the reader watched")
	}
	for _, p := range problems {
		t.Error(p)
	}
	for _, slug := range slugs {
		f.checkPublished(t, slug)
	}
}

// readerSees reads what a reader would for one report and reports any
// partial state: a pointer to an incomplete release, a site page that is
// not a complete release's page.
func (f *faultEnv) readerSees(ctx context.Context, slug string, reads, unavailable *int) []string {
	var latest struct {
		Version  int    `json:"version"`
		Manifest string `json:"manifest"`
	}
	err := f.store.GetJSON(ctx, store.LatestKey(slug), &latest)
	switch {
	case errors.Is(err, store.ErrNotFound):
		*reads++
	case err != nil:
		*unavailable++
		return nil
	default:
		*reads++
		var m struct {
			Locales []string `json:"locales"`
		}
		if err := f.store.GetJSON(ctx, latest.Manifest, &m); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return []string{slug + ": latest.json points at a missing manifest"}
			}
			*unavailable++
			return nil
		}
	}
	for _, l := range faultTargets {
		page, err := f.store.Get(ctx, store.SitePageKey(l, slug))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			*unavailable++
			return nil
		}
		// A site page is only ever a copy of a release page whose release
		// is complete and already the latest.
		rel, err := f.store.Get(ctx, store.ReleasePageKey(slug, 1, l))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			*unavailable++
			return nil
		}
		if string(rel) != string(page) {
			return []string{slug + ": site page " + l + " is not the release's page"}
		}
		var lt struct{ Version int }
		if err := f.store.GetJSON(ctx, store.LatestKey(slug), &lt); err != nil && !errors.Is(err, store.ErrNotFound) {
			*unavailable++
			return nil
		} else if lt.Version != 1 {
			return []string{slug + ": a site page is served before latest.json points at its release"}
		}
	}
	return nil
}

// Issue 9 fault injection: the Temporal server restarts (same database
// file, same port) while reports are in review. Tasks, assignees,
// deadlines and saved edits are intact afterwards and reviews continue.
func TestFaultTemporalRestartMidReview(t *testing.T) {
	f := newFaultEnv(t)
	f.startWorker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	slugs := []string{"restart-0", "restart-1"}
	for i, slug := range slugs {
		_, err := f.svc.Submit(ctx, service.SubmitRequest{Name: slug + ".md", Data: faultReport(slug, i), Options: report.Options{Targets: faultTargets},
			Reviewers: []workflows.Assignment{{Locale: "fr", User: "claire"}, {Locale: "ar", User: "amal"}},
			Deadlines: []workflows.LocaleDeadline{{Locale: "fr", Deadline: workflows.Deadline{Within: 48 * time.Hour, RemindBefore: 12 * time.Hour}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	before := map[string]workflows.LocaleStatus{}
	for _, slug := range slugs {
		for _, l := range faultTargets {
			ls, err := f.waitStage(ctx, slug, l, workflows.StageInReview)
			if err != nil {
				t.Fatal(err)
			}
			before[slug+"/"+l] = ls
		}
	}
	edit := service.ReviewRequest{Slug: "restart-0", Locale: "fr", Reviewer: "claire", Action: workflows.ActionEdit,
		Edits: map[string]string{"title": "Titre enregistré avant le redémarrage 0"}, BaseDraft: before["restart-0/fr"].Draft.SHA256}
	if _, err := f.svc.Review(ctx, edit); err != nil {
		t.Fatal(err)
	}
	ls, err := f.waitStage(ctx, "restart-0", "fr", workflows.StageInReview)
	if err != nil {
		t.Fatal(err)
	}
	before["restart-0/fr"] = ls
	tasksBefore, err := f.svc.Tasks(ctx, service.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}

	if err := f.stack.StopServer("temporal"); err != nil {
		t.Fatal(err)
	}
	if err := f.stack.StartServer(ctx, "temporal"); err != nil {
		t.Fatal(err)
	}

	var tasksAfter []service.Task
	if err := retrying(ctx, "tasks after restart", func(ctx context.Context) error {
		var err error
		tasksAfter, err = f.svc.Tasks(ctx, service.TaskFilter{})
		if err == nil && len(tasksAfter) != len(tasksBefore) {
			return fmt.Errorf("%d tasks, %d before", len(tasksAfter), len(tasksBefore))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	key := func(ts []service.Task) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Slug+"/"+t.Locale+"/"+t.Assignee+"/"+t.Stage)
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(key(tasksBefore), key(tasksAfter)) || len(tasksBefore) != len(slugs)*len(faultTargets) {
		t.Errorf("tasks before %v, after %v", key(tasksBefore), key(tasksAfter))
	}
	for k, b := range before {
		slug, l, _ := strings.Cut(k, "/")
		var a workflows.LocaleStatus
		if err := retrying(ctx, "status "+k, func(ctx context.Context) error { var err error; a, err = f.svc.LocaleStatus(ctx, slug, l); return err }); err != nil {
			t.Fatal(err)
		}
		if a.Stage != b.Stage || a.Assignee != b.Assignee || !a.DueAt.Equal(b.DueAt) || a.Draft != b.Draft || a.Edits != b.Edits {
			t.Errorf("%s before %+v\nafter %+v", k, b, a)
		}
	}
	if before["restart-0/fr"].DueAt.IsZero() || before["restart-0/fr"].Edits != 1 {
		t.Errorf("the deadline or the edit was not there before the restart: %+v", before["restart-0/fr"])
	}
	detail, err := f.svc.TaskDetail(ctx, "restart-0", "fr")
	if err != nil {
		t.Fatal(err)
	}
	if detail.Segments[0].Target != "Titre enregistré avant le redémarrage 0" {
		t.Errorf("saved edit after the restart: %+v", detail.Segments[0])
	}
	// Reviews continue to a release.
	for _, slug := range slugs {
		for _, l := range faultTargets {
			reviewer := map[string]string{"fr": "claire", "ar": "amal"}[l]
			if err := retrying(ctx, "approve", func(ctx context.Context) error {
				_, err := f.svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: l, Reviewer: reviewer, Action: workflows.ActionApprove})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		rel, err := f.svc.Wait(ctx, slug)
		if err != nil || rel.Version != 1 {
			t.Fatalf("%s: %+v %v", slug, rel, err)
		}
		f.checkPublished(t, slug)
	}
}

// Issue 9: ten reviewers save the same segment from the same draft at
// once, three rounds: exactly one save wins each round and every other
// gets a conflict carrying the winner's text.
func TestFaultConcurrentSaves(t *testing.T) {
	f := newFaultEnv(t)
	f.startWorker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	const slug = "concurrent-saves"
	if _, err := f.svc.Submit(ctx, service.SubmitRequest{Name: slug + ".md", Data: faultReport(slug, 1), Options: report.Options{Targets: []string{"fr"}}}); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		ls, err := f.waitStage(ctx, slug, "fr", workflows.StageInReview)
		if err != nil {
			t.Fatal(err)
		}
		type outcome struct {
			text string
			err  error
		}
		results := make(chan outcome, 10)
		start := make(chan struct{})
		for i := range 10 {
			go func() {
				<-start
				text := fmt.Sprintf("Titre %d de la relectrice %d", round, i)
				_, err := f.svc.Review(ctx, service.ReviewRequest{Slug: slug, Locale: "fr", Reviewer: fmt.Sprintf("rev%d", i), Action: workflows.ActionEdit,
					Edits: map[string]string{"title": text}, BaseDraft: ls.Draft.SHA256})
				results <- outcome{text, err}
			}()
		}
		close(start)
		var winners []string
		var conflicts []*service.ConflictError
		for range 10 {
			o := <-results
			var c *service.ConflictError
			switch {
			case o.err == nil:
				winners = append(winners, o.text)
			case errors.As(o.err, &c):
				conflicts = append(conflicts, c)
			default:
				t.Errorf("round %d: %v", round, o.err)
			}
		}
		if len(winners) != 1 || len(conflicts) != 9 {
			t.Fatalf("round %d: %d saves won, %d conflicts; want 1 and 9", round, len(winners), len(conflicts))
		}
		for _, c := range conflicts {
			if c.CurrentText != winners[0] || c.SegmentID != "title" {
				t.Errorf("round %d: conflict carries %q on %s, the winner saved %q", round, c.CurrentText, c.SegmentID, winners[0])
			}
		}
	}
}
