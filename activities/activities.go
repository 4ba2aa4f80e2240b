// Package activities implements every side effect of Pressroom's
// workflows: reading and writing S3, machine translation, checks,
// rendering and publishing. Each activity is idempotent — drafts are
// content-addressed and release objects immutable — so Temporal may retry
// any of them.
package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/internal/translate"
	"github.com/pressroom/pressroom/internal/webhook"
	"github.com/pressroom/pressroom/workflows"
)

// Activities holds the dependencies of every activity.
type Activities struct {
	Store      *store.Store
	Translator translate.Translator
	// Memories is the translation memory; nil means none.
	Memories *tmstore.Memories
	QA       qa.Config
	// Webhook receives events; nil sends none.
	Webhook *webhook.Sender
	// Observer is told what drafting and checking found (metrics); nil
	// tells nobody.
	Observer Observer
}

// Observer is told what the memory offered each drafted segment and what
// the checks found, from what the activity holds (never by reading the
// objects back), once the activity has succeeded: a retried activity's
// work is told once.
type Observer interface {
	MemoryLookups(exact, fuzzy, miss int)
	Findings(fs []qa.Finding)
}

// observed is what one draft's lookups and checks found.
type observed struct {
	exact, fuzzy, miss int
	findings           []qa.Finding
	checkOnly          bool // an edit's re-check: no lookups
}

func (a *Activities) tell(seen ...observed) {
	if a.Observer == nil {
		return
	}
	for _, o := range seen {
		if !o.checkOnly {
			a.Observer.MemoryLookups(o.exact, o.fuzzy, o.miss)
		}
		a.Observer.Findings(o.findings)
	}
}

func badInput(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), workflows.ErrBadInput, nil)
}

// loadSource reads and verifies the claim-checked source report.
func (a *Activities) loadSource(ctx context.Context, ref workflows.Ref) (report.Report, error) {
	b, err := a.Store.GetVerified(ctx, ref.Key, ref.SHA256)
	if err != nil {
		return report.Report{}, err
	}
	var r report.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return report.Report{}, badInput("source %s is not a report: %v", ref.Key, err)
	}
	return r, nil
}

func (a *Activities) loadDraft(ctx context.Context, ref workflows.Ref) (report.Translation, error) {
	b, err := a.Store.GetVerified(ctx, ref.Key, ref.SHA256)
	if err != nil {
		return report.Translation{}, err
	}
	var t report.Translation
	if err := json.Unmarshal(b, &t); err != nil {
		return report.Translation{}, badInput("draft %s is not a translation: %v", ref.Key, err)
	}
	return t, nil
}

// saveDraft writes a draft under its content hash: a retry writes the
// same key with the same bytes.
func (a *Activities) saveDraft(ctx context.Context, t report.Translation) (workflows.Ref, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return workflows.Ref{}, err
	}
	sha := store.SHA256(b)
	key := store.DraftKey(t.Slug, t.SourceSHA256, t.Locale, sha)
	if _, err := a.Store.PutImmutable(ctx, key, b, store.Meta{ContentType: "application/json"}); err != nil {
		return workflows.Ref{}, err
	}
	return workflows.Ref{Key: key, SHA256: sha, Size: int64(len(b))}, nil
}

// TranslateReport drafts the source in every target locale at once — the
// first round of a report — reading the source once. One activity for
// the report instead of one per locale keeps the report's history short.
// A locale that fails for good fails the whole draft with its reason (the
// report would fail anyway); a transient failure retries it all, which
// costs little: memory matches and the drafts' content addresses repeat.
func (a *Activities) TranslateReport(ctx context.Context, in workflows.TranslateReportInput) ([]workflows.TranslateOutput, error) {
	src, err := a.loadSource(ctx, in.Source)
	if err != nil {
		return nil, err
	}
	live, err := a.liveRelease(ctx, in.Slug, in.SourceLocale)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]workflows.TranslateOutput, len(in.Locales))
	seen := make([]observed, len(in.Locales))
	errs := make([]error, len(in.Locales))
	sem := make(chan struct{}, maxParallelLocales)
	var wg sync.WaitGroup
	for i, locale := range in.Locales {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], seen[i], errs[i] = a.translate(ctx, src, workflows.TranslateInput{
				Slug: in.Slug, Source: in.Source, SourceLocale: in.SourceLocale, Locale: locale, Round: 1,
			}, live)
			var app *temporal.ApplicationError
			if errors.As(errs[i], &app) && app.NonRetryable() {
				cancel() // the report fails: stop the others
			}
		}()
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return out, err
	}
	a.tell(seen...)
	return out, nil
}

// maxParallelLocales bounds the locales one TranslateReport drafts at once.
const maxParallelLocales = 4

// firstError prefers a permanent failure, then any but a cancellation.
func firstError(errs []error) error {
	var app *temporal.ApplicationError
	for _, err := range errs {
		if errors.As(err, &app) && app.NonRetryable() {
			return err
		}
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return errors.Join(errs...)
}

// Translate drafts the source in one locale — translation memory first,
// machine translation for the rest — and runs the quality checks on the
// draft, so one activity does what a reviewer needs before the task opens.
// A locale translates on its own after a reject.
func (a *Activities) Translate(ctx context.Context, in workflows.TranslateInput) (workflows.TranslateOutput, error) {
	src, err := a.loadSource(ctx, in.Source)
	if err != nil {
		return workflows.TranslateOutput{}, err
	}
	var live *lastRelease
	if in.CarryFrom > 0 {
		if live, err = a.releaseToCarry(ctx, in.Slug, in.SourceLocale, in.CarryFrom); err != nil {
			return workflows.TranslateOutput{}, err
		}
	}
	out, seen, err := a.translate(ctx, src, in, live)
	if err == nil {
		a.tell(seen)
	}
	return out, err
}

// translate drafts one locale. With live (a revision), only the segments
// whose source changed since that release are drafted; the others carry
// their approved text.
func (a *Activities) translate(ctx context.Context, src report.Report, in workflows.TranslateInput, live *lastRelease) (workflows.TranslateOutput, observed, error) {
	toDraft, carried := src, map[string]string(nil)
	if live != nil {
		withdrawn, err := releases.Withdrawn(ctx, a.Store, in.Slug, in.Locale)
		if err != nil {
			return workflows.TranslateOutput{}, observed{}, err
		}
		if withdrawn {
			// Taken down: nothing of it is carried unreviewed.
			activity.GetLogger(ctx).Info("locale is unpublished: its approved text is not carried", "slug", in.Slug, "locale", in.Locale)
			live = nil
		}
	}
	if live != nil {
		approved, err := a.approvedText(ctx, live, in.Locale)
		if err != nil {
			return workflows.TranslateOutput{}, observed{}, err
		}
		toDraft, carried = live.carry(src, approved)
	}
	var mem translate.Memory
	if a.Memories != nil {
		m, err := a.Memories.Load(ctx, in.SourceLocale, in.Locale)
		if err != nil {
			return workflows.TranslateOutput{}, observed{}, fmt.Errorf("load translation memory %s→%s: %w", in.SourceLocale, in.Locale, err)
		}
		mem = m
	}
	activity.RecordHeartbeat(ctx, "drafting")
	t, stats, err := translate.Draft(ctx, toDraft, in.Source.SHA256, in.Locale, heartbeatMemory(ctx, mem), beatingTranslator{a.Translator})
	if err != nil {
		if mt.IsUnsupportedPair(err) {
			return workflows.TranslateOutput{}, observed{}, temporal.NewNonRetryableApplicationError(err.Error(), workflows.ErrUnsupported, err)
		}
		if !mt.IsTransient(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			// A bad key, an exhausted quota, markup an engine keeps
			// breaking: retrying will not help; fail with the reason.
			return workflows.TranslateOutput{}, observed{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("translate %s→%s: %v", in.SourceLocale, in.Locale, err), workflows.ErrTranslation, err)
		}
		// Transient: a provider may recover. Nothing half-done is saved.
		return workflows.TranslateOutput{}, observed{}, fmt.Errorf("translate %s→%s: %w", in.SourceLocale, in.Locale, err)
	}
	activity.GetLogger(ctx).Info("drafted", "slug", in.Slug, "locale", in.Locale,
		"tm_exact", stats.Exact, "tm_fuzzy_offered", stats.Fuzzy, "machine_translated", stats.MT, "carried", len(carried))
	seen := observed{exact: stats.Exact, fuzzy: stats.Fuzzy, miss: len(t.Segments) - stats.Exact - stats.Fuzzy}
	out := workflows.TranslateOutput{Locale: in.Locale, Provenance: map[string]int{}}
	if len(carried) > 0 {
		t = live.merge(src, t, carried)
		out.CarriedFrom, out.Review = live.manifest.Version, len(t.Segments)-len(carried)
		if out.Review == 0 {
			out.Carried = live.approvalOf(in.Locale)
		}
	}
	out.Segments = len(t.Segments)
	for _, s := range t.Segments {
		out.Provenance[provenanceKind(s.Provenance)]++
	}
	if out.Draft, err = a.saveDraft(ctx, t); err != nil {
		return out, observed{}, err
	}
	out.Checks, seen.findings, err = a.check(ctx, src, in.Source, t, out.Draft)
	return out, seen, err
}

// heartbeatMemory heartbeats every few hundred lookups, so a long draft
// shows it is alive between the start and the MT requests.
func heartbeatMemory(ctx context.Context, mem translate.Memory) translate.Memory {
	if mem == nil || !activity.IsActivity(ctx) {
		return mem
	}
	return &beatingMemory{ctx: ctx, Memory: mem}
}

type beatingMemory struct {
	ctx context.Context
	translate.Memory
	n int
}

func (m *beatingMemory) Lookup(sourceLocale, targetLocale, text string, minScore int) (tm.Match, bool) {
	if m.n++; m.n%256 == 0 {
		activity.RecordHeartbeat(m.ctx, fmt.Sprintf("memory lookup %d", m.n))
	}
	return m.Memory.Lookup(sourceLocale, targetLocale, text, minScore)
}

// beatingTranslator sends machine translation in chunks and heartbeats
// between them: a long report is minutes of MT.
type beatingTranslator struct{ translate.Translator }

// mtChunk segments per request to the router (which batches further).
const mtChunk = 256

func (t beatingTranslator) Translate(ctx context.Context, req mt.Request) ([]mt.Result, error) {
	if len(req.Segments) <= mtChunk || !activity.IsActivity(ctx) {
		return t.Translator.Translate(ctx, req)
	}
	out := make([]mt.Result, 0, len(req.Segments))
	for start := 0; start < len(req.Segments); start += mtChunk {
		part := req
		part.Segments = req.Segments[start:min(start+mtChunk, len(req.Segments))]
		rs, err := t.Translator.Translate(ctx, part)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
		activity.RecordHeartbeat(ctx, fmt.Sprintf("translated %d/%d", len(out), len(req.Segments)))
	}
	return out, nil
}

// provenanceKind folds "tm-fuzzy 87%" into "tm-fuzzy" for counting.
func provenanceKind(p string) string {
	if k, _, ok := strings.Cut(p, " "); ok {
		return k
	}
	return p
}

// maxFailingIDs bounds the segment IDs a check result carries through
// history; the full findings are in the store.
const maxFailingIDs = 20

// check runs the quality checks on a draft and stores the findings, if
// any, beside it (content-addressed by the draft, so a retry writes the
// same key).
func (a *Activities) check(ctx context.Context, src report.Report, srcRef workflows.Ref, draft report.Translation, draftRef workflows.Ref) (workflows.CheckOutput, []qa.Finding, error) {
	texts := make(map[string]string, len(draft.Segments))
	for _, s := range draft.Segments {
		texts[s.ID] = s.Text
	}
	findings := []qa.Finding{}
	var out workflows.CheckOutput
	beat := activity.IsActivity(ctx)
	for i, s := range src.Segments {
		if beat && i%256 == 255 {
			activity.RecordHeartbeat(ctx, fmt.Sprintf("checked %d/%d", i+1, len(src.Segments)))
		}
		if err := ctx.Err(); err != nil {
			return out, nil, err
		}
		fs := qa.Check(a.QA, s.ID, s.Text, texts[s.ID], src.Source, draft.Locale, src.Format == report.FormatMarkdown)
		findings = append(findings, fs...)
		if e, _ := qa.Summarize(fs); e > 0 {
			if len(out.Failing) < maxFailingIDs {
				out.Failing = append(out.Failing, s.ID)
			}
		}
	}
	out.Errors, out.Warnings = qa.Summarize(findings)
	if len(findings) == 0 {
		// Nothing to store: no reference means no findings (most drafts,
		// and a write saved per locale).
		return out, findings, nil
	}
	b, err := json.Marshal(findings)
	if err != nil {
		return workflows.CheckOutput{}, nil, err
	}
	key := store.ChecksKey(src.Slug, srcRef.SHA256, draft.Locale, draftRef.SHA256)
	if _, err := a.Store.PutImmutable(ctx, key, b, store.Meta{ContentType: "application/json"}); err != nil {
		return workflows.CheckOutput{}, nil, err
	}
	out.Findings = workflows.Ref{Key: key, SHA256: store.SHA256(b), Size: int64(len(b))}
	return out, findings, nil
}

// Edits is the document a reviewer uploads: segment ID → new text.
type Edits map[string]string

// ApplyEdits writes a new draft revision with a reviewer's edits and
// checks it. An edit of a segment the draft does not have is refused
// (UnknownSegment, not retried): the workflow keeps no list of IDs.
func (a *Activities) ApplyEdits(ctx context.Context, in workflows.ApplyEditsInput) (workflows.ApplyEditsOutput, error) {
	src, err := a.loadSource(ctx, in.Source)
	if err != nil {
		return workflows.ApplyEditsOutput{}, err
	}
	draft, err := a.loadDraft(ctx, in.Draft)
	if err != nil {
		return workflows.ApplyEditsOutput{}, err
	}
	b, err := a.Store.GetVerified(ctx, in.Edits.Key, in.Edits.SHA256)
	if err != nil {
		return workflows.ApplyEditsOutput{}, err
	}
	var edits Edits
	if err := json.Unmarshal(b, &edits); err != nil {
		return workflows.ApplyEditsOutput{}, badInput("edits %s: %v", in.Edits.Key, err)
	}
	index := make(map[string]int, len(draft.Segments))
	for i, s := range draft.Segments {
		index[s.ID] = i
	}
	for _, id := range slices.Sorted(maps.Keys(edits)) {
		text := edits[id]
		i, ok := index[id]
		if !ok {
			return workflows.ApplyEditsOutput{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("unknown segment ID %q in %s", id, in.Locale), workflows.ErrUnknownSegment, nil)
		}
		if !utf8.ValidString(text) {
			return workflows.ApplyEditsOutput{}, badInput("edits: segment %q is not valid UTF-8", id)
		}
		draft.Segments[i].Text = text
		draft.Segments[i].Provenance = "human:" + in.Reviewer
	}
	ref, err := a.saveDraft(ctx, draft)
	if err != nil {
		return workflows.ApplyEditsOutput{}, err
	}
	checks, findings, err := a.check(ctx, src, in.Source, draft, ref)
	if err == nil {
		a.tell(observed{findings: findings, checkOnly: true})
	}
	return workflows.ApplyEditsOutput{Draft: ref, Checks: checks}, err
}
