package workflows

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// Activity stand-ins, registered under the real names so the mocks below
// replace them; workflow logic is what these tests exercise.
func translateStub(context.Context, TranslateInput) (TranslateOutput, error)    { panic("mocked") }
func applyEditsStub(context.Context, ApplyEditsInput) (ApplyEditsOutput, error) { panic("mocked") }
func publishStub(context.Context, PublishInput) (Release, error)                { panic("mocked") }
func notifyStub(context.Context, Event) error                                   { panic("mocked") }
func translateReportStub(context.Context, TranslateReportInput) ([]TranslateOutput, error) {
	panic("mocked")
}

var (
	source = Ref{Key: "drafts/s/abc/source.json", SHA256: "abc"}
	draft1 = Ref{Key: "drafts/s/abc/fr/d1.json", SHA256: "d1"}
	draft2 = Ref{Key: "drafts/s/abc/fr/d2.json", SHA256: "d2"}
	edits  = Ref{Key: "drafts/s/abc/fr/edits/e1.json", SHA256: "e1"}
	ids    = []string{"p-1", "p-2", "title"}
)

// events records the deliveries started (one EventWorkflow per event).
type events struct {
	mu  sync.Mutex
	all []Event
}

func (e *events) types() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, ev := range e.all {
		out = append(out, ev.Type)
	}
	return out
}

func newEnv(t *testing.T) *testsuite.TestWorkflowEnvironment {
	env, _ := newEnvWithEvents(t)
	return env
}

func newEnvWithEvents(t *testing.T) (*testsuite.TestWorkflowEnvironment, *events) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	ev := &events{}
	env.RegisterActivityWithOptions(notifyStub, activity.RegisterOptions{Name: ActivityNotify})
	env.RegisterWorkflowWithOptions(ReportWorkflow, workflow.RegisterOptions{Name: ReportWorkflowName})
	env.RegisterWorkflowWithOptions(LocaleWorkflow, workflow.RegisterOptions{Name: LocaleWorkflowName})
	env.RegisterWorkflowWithOptions(EventWorkflow, workflow.RegisterOptions{Name: EventWorkflowName})
	env.RegisterActivityWithOptions(translateStub, activity.RegisterOptions{Name: ActivityTranslate})
	env.RegisterActivityWithOptions(translateReportStub, activity.RegisterOptions{Name: ActivityTranslateReport})
	env.RegisterActivityWithOptions(applyEditsStub, activity.RegisterOptions{Name: ActivityApplyEdits})
	env.RegisterActivityWithOptions(publishStub, activity.RegisterOptions{Name: ActivityPublish})
	env.OnWorkflow(EventWorkflowName, mock.Anything, mock.Anything).Return(nil).Run(func(args mock.Arguments) {
		ev.mu.Lock()
		ev.all = append(ev.all, args.Get(1).(Event))
		ev.mu.Unlock()
	}).Maybe()
	t.Cleanup(func() { env.AssertExpectations(t) })
	return env, ev
}

func localeIn(assignee string) LocaleInput {
	return LocaleInput{Slug: "s", Source: source, SourceLocale: "en", Locale: "fr", Assignee: assignee}
}

var cleanDraft = TranslateOutput{Draft: draft1, Segments: len(ids), Provenance: map[string]int{"mt:pseudo": 3}}

// onTranslate drafts with clean checks (they run inside Translate).
func onTranslate(env *testsuite.TestWorkflowEnvironment) *testsuite.MockCallWrapper {
	return env.OnActivity(ActivityTranslate, mock.Anything, mock.Anything).Return(cleanDraft, nil)
}

// onTranslateReport drafts every target of reportIn, checks clean.
func onTranslateReport(env *testsuite.TestWorkflowEnvironment) *testsuite.MockCallWrapper {
	return env.OnActivity(ActivityTranslateReport, mock.Anything, mock.MatchedBy(func(in TranslateReportInput) bool {
		return len(in.Locales) == 2 && in.Locales[0] == "fr" && in.Locales[1] == "ar"
	})).Return(func(_ context.Context, in TranslateReportInput) ([]TranslateOutput, error) {
		var out []TranslateOutput
		for _, l := range in.Locales {
			d := cleanDraft
			d.Locale = l
			out = append(out, d)
		}
		return out, nil
	})
}

func edited(d Ref, c CheckOutput) ApplyEditsOutput { return ApplyEditsOutput{Draft: d, Checks: c} }

// requireType asserts a refusal is the typed application error typ.
func requireType(t *testing.T, err error, typ string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	require.ErrorAs(t, err, &appErr)
	require.Equal(t, typ, appErr.Type(), appErr.Error())
}

// review sends a review Update after delay and records what came back.
type outcome struct {
	rejected error
	result   ReviewResult
	err      error
	done     bool
}

func review(env *testsuite.TestWorkflowEnvironment, delay time.Duration, id string, r ReviewRequest) *outcome {
	o := &outcome{}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateReview, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) { o.rejected = err; o.done = true },
			OnAccept: func() {},
			OnComplete: func(v any, err error) {
				o.err = err
				o.done = true
				if v != nil {
					o.result = v.(ReviewResult)
				}
			},
		}, r)
	}, delay)
	return o
}

func TestLocaleHappyPath(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	o := review(env, time.Minute, "u1", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, o.rejected)
	var st LocaleStatus
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, StageApproved, st.Stage)
	require.Equal(t, "claire", st.ApprovedBy)
	require.Equal(t, draft1, st.Draft)
	require.Equal(t, 1, st.Round)
	require.Equal(t, 3, st.Segments)
}

func TestLocaleEditsStayInReviewThenApprove(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.MatchedBy(func(in ApplyEditsInput) bool {
		return in.Draft == draft1 && in.Edits == edits && in.Reviewer == "claire"
	})).Return(edited(draft2, CheckOutput{}), nil).Once()
	e := review(env, time.Minute, "edit-1", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-2"}})
	var mid LocaleStatus
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryStatus)
		require.NoError(t, err)
		require.NoError(t, v.Get(&mid))
	}, 2*time.Minute)
	a := review(env, 3*time.Minute, "approve-1", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, e.rejected)
	require.NoError(t, e.err)
	require.Equal(t, StageInReview, e.result.Stage)
	require.Equal(t, draft2, e.result.Draft)
	require.Equal(t, StageInReview, mid.Stage, "edits keep the task in review")
	require.Equal(t, 1, mid.Edits)
	require.True(t, a.done)
	var st LocaleStatus
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, draft2, st.Draft, "the approved draft is the edited one")
}

func TestLocaleRejectTranslatesAgain(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Twice()
	r := review(env, time.Minute, "reject-1", ReviewRequest{Reviewer: "claire", Action: ActionReject, Comment: "too literal"})
	review(env, 5*time.Minute, "approve-1", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, r.rejected)
	var st LocaleStatus
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, 2, st.Round)
	require.Equal(t, "too literal", st.LastComment)
	require.Equal(t, StageApproved, st.Stage)
}

func TestLocaleValidatorRefusals(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	cases := []struct {
		name, typ string
		req       ReviewRequest
		want      string
	}{
		{"not the assignee", ErrNotAssignee, ReviewRequest{Reviewer: "mallory", Action: ActionApprove}, "not the assignee"},
		{"reject without comment", ErrInvalidReview, ReviewRequest{Reviewer: "claire", Action: ActionReject}, "needs a comment"},
		{"unknown action", ErrInvalidReview, ReviewRequest{Reviewer: "claire", Action: "publish"}, "unknown action"},
		{"no reviewer", ErrInvalidReview, ReviewRequest{Action: ActionApprove}, "reviewer is required"},
		{"edits without document", ErrInvalidReview, ReviewRequest{Reviewer: "claire", Action: ActionEdit, SegmentIDs: []string{"p-1"}}, "stored edits document"},
		{"approval of an older draft", ErrConflictType, ReviewRequest{Reviewer: "claire", Action: ActionApprove, BaseDraft: "d0"}, "changed after the one you reviewed"},
	}
	outs := make([]*outcome, len(cases))
	for i, c := range cases {
		outs[i] = review(env, time.Minute, c.name, c.req)
	}
	ok := review(env, 2*time.Minute, "approve", ReviewRequest{Reviewer: "claire", Action: ActionApprove, BaseDraft: draft1.SHA256})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	for i, c := range cases {
		require.True(t, outs[i].done, c.name)
		require.ErrorContains(t, outs[i].rejected, c.want, c.name)
		requireType(t, outs[i].rejected, c.typ)
	}
	require.True(t, ok.done)
	require.NoError(t, ok.rejected, "an approval of the current draft goes through")
	require.NoError(t, ok.err)
	require.Equal(t, StageApproved, ok.result.Stage)
}

// A decision is taken once per round: after a reject, an approval of the
// same round finds the task back in translation and is refused.
func TestLocaleDecisionTakenOnce(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	onTranslate(env).After(10 * time.Minute).Once()
	reject := review(env, time.Minute, "r1", ReviewRequest{Reviewer: "claire", Action: ActionReject, Comment: "terms"})
	late := review(env, 2*time.Minute, "a1", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	review(env, 30*time.Minute, "a2", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.True(t, reject.done)
	require.NoError(t, reject.rejected)
	require.True(t, late.done, "the late approval was answered")
	require.Error(t, late.rejected, "an approval after the round's decision must not land")
	requireType(t, late.rejected, ErrNotInReview)
}

func TestLocaleBeforeReviewIsRefused(t *testing.T) {
	env := newEnv(t)
	// Translation takes ten minutes; a review arriving at one minute finds
	// no task in review.
	onTranslate(env).After(10 * time.Minute).Once()
	early := review(env, time.Minute, "early", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	review(env, 20*time.Minute, "ok", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.ErrorContains(t, early.rejected, "not in review")
	requireType(t, early.rejected, ErrNotInReview)
}

func TestLocaleCheckErrorsBlockApproval(t *testing.T) {
	env := newEnv(t)
	failing := cleanDraft
	failing.Checks = CheckOutput{Errors: 1, Failing: []string{"p-1"}}
	env.OnActivity(ActivityTranslate, mock.Anything, mock.Anything).Return(failing, nil).Once()
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.Anything).Return(edited(draft2, CheckOutput{}), nil).Once()
	blocked := review(env, time.Minute, "a1", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	review(env, 2*time.Minute, "e1", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-1"}})
	fixed := review(env, 3*time.Minute, "a2", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.ErrorContains(t, blocked.rejected, "quality check error")
	requireType(t, blocked.rejected, ErrChecksFailing)
	require.True(t, fixed.done)
	require.NoError(t, fixed.rejected, "the edit's clean checks allow approval")
}

// An edit naming a segment the draft does not have: ApplyEdits refuses it
// (the workflow keeps no ID list) and the Update fails with the type.
func TestLocaleUnknownSegmentRefusedByApplyEdits(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.Anything).
		Return(ApplyEditsOutput{}, temporal.NewNonRetryableApplicationError(`unknown segment ID "p-404" in fr`, ErrUnknownSegment, nil)).Once()
	e := review(env, time.Minute, "e1", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-404"}})
	review(env, 2*time.Minute, "a", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.True(t, e.done)
	require.ErrorContains(t, e.err, `unknown segment ID "p-404"`)
	requireType(t, e.err, ErrUnknownSegment)
	var st LocaleStatus
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, draft1, st.Draft, "nothing changed")
	require.Equal(t, 0, st.Edits)
}

// A locale started with the report's first draft goes straight to review:
// no Translate activity runs.
func TestLocaleStartsInReviewWithFirstDraft(t *testing.T) {
	env := newEnv(t)
	a := review(env, time.Minute, "a", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	in := localeIn("claire")
	first := cleanDraft
	in.First = &first
	env.ExecuteWorkflow(LocaleWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	require.True(t, a.done)
	require.NoError(t, a.rejected)
	var st LocaleStatus
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, draft1, st.Draft)
	require.Equal(t, 1, st.Round)
	env.AssertNotCalled(t, "Translate", mock.Anything, mock.Anything)
}

// A translation that keeps failing ends the locale with a clear reason
// after the attempt limit instead of retrying for ever.
func TestTranslateGivesUpAfterAttemptLimit(t *testing.T) {
	env := newEnv(t)
	env.OnActivity(ActivityTranslate, mock.Anything, mock.Anything).Return(TranslateOutput{}, errors.New("S3 unreachable")).Times(maxAttempts)
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.Error(t, env.GetWorkflowError())
	// Times(maxAttempts) above fails the test on an eleventh attempt. (The
	// test environment does not report the retry state, so the "gave up
	// after" wording is checked against the real server.)
	require.ErrorContains(t, env.GetWorkflowError(), "S3 unreachable")
}

func TestFailingActivityIsRetried(t *testing.T) {
	env := newEnv(t)
	env.OnActivity(ActivityTranslate, mock.Anything, mock.Anything).Return(TranslateOutput{}, errors.New("connection refused")).Once()
	onTranslate(env).Once()
	review(env, time.Hour, "a", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
}

func TestBadInputIsNotRetried(t *testing.T) {
	env := newEnv(t)
	env.OnActivity(ActivityTranslate, mock.Anything, mock.Anything).
		Return(TranslateOutput{}, temporal.NewNonRetryableApplicationError("apertium cannot translate en to xx", ErrUnsupported, nil)).Once()
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.Error(t, env.GetWorkflowError())
	require.ErrorContains(t, env.GetWorkflowError(), "cannot translate")
}

func reportIn(requireApproval bool) ReportInput {
	return ReportInput{Slug: "s", Source: source, SourceLocale: "en", Targets: []string{"fr", "ar"},
		Reviewers: []Assignment{{Locale: "fr", User: "claire"}, {Locale: "ar", User: "amal"}}, RequireApproval: requireApproval}
}

// approveChildren approves every locale at the given time; the workflows
// completing (asserted by the callers) proves the approvals landed.
func approveChildren(t *testing.T, env *testsuite.TestWorkflowEnvironment, at time.Duration) {
	env.RegisterDelayedCallback(func() {
		for _, a := range reportIn(false).Reviewers {
			err := env.UpdateWorkflowByID(LocaleID("s", a.Locale), UpdateReview, "approve-"+a.Locale, &testsuite.TestUpdateCallback{
				OnReject: func(err error) { t.Errorf("approve %s refused: %v", a.Locale, err) },
				OnAccept: func() {}, OnComplete: func(any, error) {},
			}, ReviewRequest{Reviewer: a.User, Action: ActionApprove})
			if err != nil {
				t.Errorf("approve %s: %v", a.Locale, err)
			}
		}
	}, at)
}

func TestReportHappyPathPublishes(t *testing.T) {
	env := newEnv(t)
	onTranslateReport(env).Once()
	var status ReportStatus
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryStatus)
		require.NoError(t, err)
		require.NoError(t, v.Get(&status))
	}, 30*time.Minute)
	approveChildren(t, env, time.Hour)
	env.OnActivity(ActivityPublish, mock.Anything, mock.MatchedBy(func(in PublishInput) bool {
		return len(in.Locales) == 2 && in.Locales[0].Locale == "fr" && in.Locales[1].Locale == "ar" &&
			in.Locales[0].ApprovedBy == "claire" && len(in.Approvals) == 2
	})).Return(Release{Version: 1, Manifest: Ref{Key: "releases/s/v1/manifest.json", SHA256: "m"}}, nil).Once()
	env.ExecuteWorkflow(ReportWorkflow, reportIn(false))
	require.NoError(t, env.GetWorkflowError())
	var rel Release
	require.NoError(t, env.GetWorkflowResult(&rel))
	require.Equal(t, 1, rel.Version)
	require.Equal(t, StageInReview, status.Stage, "before approval the report waits in review")
	require.Len(t, status.Locales, 2)
	for _, l := range status.Locales {
		require.Equal(t, StageInReview, l.Stage, l.Locale)
	}
	v, err := env.QueryWorkflow(QueryStatus)
	require.NoError(t, err)
	require.NoError(t, v.Get(&status))
	require.Equal(t, StagePublished, status.Stage)
}

func TestReportApprovalGate(t *testing.T) {
	env := newEnv(t)
	onTranslateReport(env).Once()
	approveChildren(t, env, time.Hour)
	var waiting ReportStatus
	var queryErr, badRejected, okRejected error
	badAccepted, okDone := false, false
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryStatus)
		if queryErr = err; err == nil {
			queryErr = v.Get(&waiting)
		}
		// An empty editor is refused by the validator.
		env.UpdateWorkflow(UpdateApprove, "bad", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { badRejected = err },
			OnAccept: func() { badAccepted = true }, OnComplete: func(any, error) {},
		}, ApproveRequest{})
	}, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateApprove, "ok", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { okRejected = err },
			OnAccept: func() {}, OnComplete: func(any, error) { okDone = true },
		}, ApproveRequest{Editor: "edith"})
	}, 3*time.Hour)
	env.OnActivity(ActivityPublish, mock.Anything, mock.MatchedBy(func(in PublishInput) bool {
		last := in.Approvals[len(in.Approvals)-1]
		return last.By == "edith" && last.Locale == ""
	})).Return(Release{Version: 1}, nil).Once()
	env.ExecuteWorkflow(ReportWorkflow, reportIn(true))
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, queryErr)
	require.Equal(t, StageAwaitingApproval, waiting.Stage)
	require.False(t, badAccepted, "approve without editor accepted")
	require.ErrorContains(t, badRejected, "editor is required")
	requireType(t, badRejected, ErrInvalidApprove)
	require.NoError(t, okRejected)
	require.True(t, okDone, "the editor's approval completed")
}

func TestReportWithoutGateRefusesApprove(t *testing.T) {
	env := newEnv(t)
	onTranslateReport(env).Once()
	var refused error
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateApprove, "x", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { refused = err }, OnAccept: func() {}, OnComplete: func(any, error) {},
		}, ApproveRequest{Editor: "edith"})
	}, 10*time.Minute)
	approveChildren(t, env, time.Hour)
	env.OnActivity(ActivityPublish, mock.Anything, mock.Anything).Return(Release{Version: 1}, nil).Once()
	env.ExecuteWorkflow(ReportWorkflow, reportIn(false))
	require.NoError(t, env.GetWorkflowError())
	require.ErrorContains(t, refused, "does not require editor approval")
	requireType(t, refused, ErrNoApprovalNeeded)
}

// The deadline policy on durable timers, with time skipping: a reminder
// a day before, at the deadline the task goes to the locale's pool and
// anyone of that locale may complete it.
func TestLocaleDeadlineRemindsThenEscalates(t *testing.T) {
	env, ev := newEnvWithEvents(t)
	onTranslate(env).Once()
	var beforeDue, afterDue LocaleStatus
	query := func(into *LocaleStatus) func() {
		return func() {
			v, err := env.QueryWorkflow(QueryStatus)
			require.NoError(t, err)
			require.NoError(t, v.Get(into))
		}
	}
	env.RegisterDelayedCallback(query(&beforeDue), 47*time.Hour)
	env.RegisterDelayedCallback(query(&afterDue), 49*time.Hour)
	// Claire was the assignee; after escalation someone else of the pool approves.
	pool := review(env, 50*time.Hour, "pool-approve", ReviewRequest{Reviewer: "bernard", Action: ActionApprove})
	in := localeIn("claire")
	in.Deadline = Deadline{Within: 48 * time.Hour, RemindBefore: 24 * time.Hour}
	in.Events = true
	env.ExecuteWorkflow(LocaleWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	require.True(t, pool.done)
	require.NoError(t, pool.rejected)
	require.Equal(t, "claire", beforeDue.Assignee)
	require.False(t, beforeDue.Escalated)
	require.Equal(t, "", afterDue.Assignee, "escalated to the pool")
	require.True(t, afterDue.Escalated)
	require.Equal(t, []string{EventTaskAssigned, EventTaskReminder, EventTaskEscalated, EventLocaleApproved}, ev.types())
	ev.mu.Lock()
	defer ev.mu.Unlock()
	require.Equal(t, "claire", ev.all[2].Previous)
	ids := map[string]bool{}
	for _, e := range ev.all {
		require.False(t, ids[e.ID], "event IDs are unique idempotency keys")
		ids[e.ID] = true
	}
}

func TestLocaleApprovedBeforeDeadlineIsNotEscalated(t *testing.T) {
	env, ev := newEnvWithEvents(t)
	onTranslate(env).Once()
	review(env, time.Hour, "a", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	in := localeIn("claire")
	in.Deadline = Deadline{Within: 48 * time.Hour, RemindBefore: 24 * time.Hour}
	in.Events = true
	env.ExecuteWorkflow(LocaleWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []string{EventTaskAssigned, EventLocaleApproved}, ev.types())
}

// Without a webhook nothing is scheduled for events, and the deadline
// still escalates to the pool.
func TestNoWebhookNoEventsStillEscalates(t *testing.T) {
	env, ev := newEnvWithEvents(t)
	onTranslate(env).Once()
	var afterDue LocaleStatus
	env.RegisterDelayedCallback(func() {
		if v, err := env.QueryWorkflow(QueryStatus); err == nil {
			_ = v.Get(&afterDue)
		}
	}, 49*time.Hour)
	pool := review(env, 50*time.Hour, "pool-approve", ReviewRequest{Reviewer: "bernard", Action: ActionApprove})
	in := localeIn("claire")
	in.Deadline = Deadline{Within: 48 * time.Hour, RemindBefore: 24 * time.Hour}
	env.ExecuteWorkflow(LocaleWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	require.True(t, pool.done)
	require.NoError(t, pool.rejected)
	require.True(t, afterDue.Escalated)
	require.Empty(t, ev.types(), "no webhook: no deliveries")
}

// Two reviewers save the same segment from the same draft: the second is
// refused as a conflict naming who changed it; a save of another segment
// from the old draft goes through.
func TestLocaleConcurrentEditsConflict(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.MatchedBy(func(in ApplyEditsInput) bool { return in.Draft == draft1 })).Return(edited(draft2, CheckOutput{}), nil).Once()
	draft3 := Ref{Key: "drafts/s/abc/fr/d3.json", SHA256: "d3"}
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.MatchedBy(func(in ApplyEditsInput) bool { return in.Draft == draft2 })).Return(edited(draft3, CheckOutput{}), nil).Once()
	first := review(env, time.Minute, "e1", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-1"}, BaseDraft: draft1.SHA256})
	second := review(env, 2*time.Minute, "e2", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-1"}, BaseDraft: draft1.SHA256})
	other := review(env, 3*time.Minute, "e3", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-2"}, BaseDraft: draft1.SHA256})
	review(env, 4*time.Minute, "a", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn(""))
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, first.rejected)
	require.NoError(t, other.rejected)
	require.Error(t, second.rejected)
	var appErr *temporal.ApplicationError
	require.ErrorAs(t, second.rejected, &appErr)
	require.Equal(t, ErrConflictType, appErr.Type())
	var d ConflictDetails
	require.NoError(t, appErr.Details(&d))
	require.Equal(t, "p-1", d.SegmentID)
	require.Equal(t, "claire", d.By)
	require.Equal(t, draft2, d.Draft)
}

func TestReportPublishedEvent(t *testing.T) {
	env, ev := newEnvWithEvents(t)
	onTranslateReport(env).Once()
	approveChildren(t, env, time.Hour)
	env.OnActivity(ActivityPublish, mock.Anything, mock.Anything).Return(Release{Version: 4}, nil).Once()
	in := reportIn(false)
	in.Events = true
	env.ExecuteWorkflow(ReportWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	types := ev.types()
	require.NotEmpty(t, types)
	require.Equal(t, EventReportPublished, types[len(types)-1])
	ev.mu.Lock()
	require.Equal(t, 4, ev.all[len(ev.all)-1].Version)
	ev.mu.Unlock()
}

// A locale that cannot be drafted fails the report with the reason, and
// no review task is opened.
func TestReportFailsWhenDraftingFails(t *testing.T) {
	env := newEnv(t)
	env.OnActivity(ActivityTranslateReport, mock.Anything, mock.Anything).
		Return(nil, temporal.NewNonRetryableApplicationError("apertium cannot translate en to ar", ErrUnsupported, nil)).Once()
	env.ExecuteWorkflow(ReportWorkflow, reportIn(false))
	require.Error(t, env.GetWorkflowError())
	require.ErrorContains(t, env.GetWorkflowError(), "cannot translate en to ar")
	v, err := env.QueryWorkflow(QueryStatus)
	require.NoError(t, err)
	var st ReportStatus
	require.NoError(t, v.Get(&st))
	require.Equal(t, StageFailed, st.Stage)
	for _, l := range st.Locales {
		require.Equal(t, StageTranslating, l.Stage, "no task opened for %s", l.Locale)
	}
}
