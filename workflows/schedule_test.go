package workflows

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
)

var t0 = time.Date(2027, 3, 20, 12, 0, 0, 0, time.UTC)

// publishes records every Publish the workflow asks for.
type publishes struct {
	mu  sync.Mutex
	all []PublishInput
}

func (p *publishes) get() []PublishInput {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PublishInput(nil), p.all...)
}

func onPublish(env *testsuite.TestWorkflowEnvironment) (*publishes, *testsuite.MockCallWrapper) {
	p := &publishes{}
	call := env.OnActivity(ActivityPublish, mock.Anything, mock.Anything).Return(func(_ context.Context, in PublishInput) (Release, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.all = append(p.all, in)
		return Release{Version: len(p.all)}, nil
	})
	return p, call
}

func approveLocale(t *testing.T, env *testsuite.TestWorkflowEnvironment, at time.Duration, locale, user string) {
	env.RegisterDelayedCallback(func() {
		err := env.UpdateWorkflowByID(LocaleID("s", locale), UpdateReview, "approve-"+locale, &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("approve %s refused: %v", locale, err) },
			OnAccept: func() {}, OnComplete: func(any, error) {},
		}, ReviewRequest{Reviewer: user, Action: ActionApprove})
		if err != nil {
			t.Errorf("approve %s: %v", locale, err)
		}
	}, at)
}

// queryAt reads the report's status at a point in (skipped) time.
func queryAt(t *testing.T, env *testsuite.TestWorkflowEnvironment, at time.Duration) *ReportStatus {
	st := &ReportStatus{}
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryStatus)
		require.NoError(t, err)
		require.NoError(t, v.Get(st))
	}, at)
	return st
}

// scheduleAt sends the schedule Update and records what came back.
type scheduleOutcome struct {
	rejected, err error
	result        ScheduleResult
	completed     bool
}

func scheduleAt(env *testsuite.TestWorkflowEnvironment, at time.Duration, id string, r ScheduleRequest) *scheduleOutcome {
	o := &scheduleOutcome{}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateSchedule, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) { o.rejected = err },
			OnAccept: func() {},
			OnComplete: func(v any, err error) {
				o.completed, o.err = true, err
				if v != nil {
					o.result = v.(ScheduleResult)
				}
			},
		}, r)
	}, at)
	return o
}

func scheduledIn(at time.Time) ReportInput {
	in := reportIn(false)
	in.PublishAt = at
	return in
}

func TestScheduledReportWaitsForItsTime(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveChildren(t, env, time.Hour)
	at := t0.Add(48 * time.Hour)
	waiting := queryAt(t, env, 2*time.Hour)
	pub, _ := onPublish(env)
	env.ExecuteWorkflow(ReportWorkflow, scheduledIn(at))
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, StageScheduled, waiting.Stage, "approved before its time, the report waits")
	require.True(t, waiting.PublishAt.Equal(at), "status shows the time: %v", waiting.PublishAt)
	require.Len(t, pub.get(), 1)
	require.True(t, pub.get()[0].PublishedAt.Equal(at), "published at %v, want %v", pub.get()[0].PublishedAt, at)
}

func TestScheduleMovedWhileWaiting(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveChildren(t, env, time.Hour)
	first, moved := t0.Add(48*time.Hour), t0.Add(72*time.Hour)
	bad := scheduleAt(env, 2*time.Hour, "bad", ScheduleRequest{Editor: "edith", At: "tomorrow at two"})
	past := scheduleAt(env, 2*time.Hour, "past", ScheduleRequest{Editor: "edith", At: t0.Format(time.RFC3339)})
	noEditor := scheduleAt(env, 2*time.Hour, "anon", ScheduleRequest{At: moved.Format(time.RFC3339)})
	// Given with an offset: the same instant as `moved`.
	move := scheduleAt(env, 3*time.Hour, "move", ScheduleRequest{Editor: "edith", At: moved.In(time.FixedZone("CET", 3600)).Format(time.RFC3339)})
	after := queryAt(t, env, 50*time.Hour) // past the first time: still waiting
	pub, _ := onPublish(env)
	env.ExecuteWorkflow(ReportWorkflow, scheduledIn(first))
	require.NoError(t, env.GetWorkflowError())
	requireType(t, bad.rejected, ErrInvalidSchedule)
	require.ErrorContains(t, bad.rejected, "not RFC 3339")
	requireType(t, past.rejected, ErrInvalidSchedule)
	require.ErrorContains(t, past.rejected, "not in the future")
	requireType(t, noEditor.rejected, ErrInvalidSchedule)
	require.NoError(t, move.rejected)
	require.True(t, move.completed)
	require.True(t, move.result.PublishAt.Equal(moved))
	require.Equal(t, StageScheduled, move.result.Stage)
	require.Equal(t, StageScheduled, after.Stage)
	require.Equal(t, "edith", after.ScheduledBy)
	require.Len(t, pub.get(), 1)
	require.True(t, pub.get()[0].PublishedAt.Equal(moved), "published at %v, want the moved time %v", pub.get()[0].PublishedAt, moved)
}

func TestScheduleClearedPublishesAtOnce(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveChildren(t, env, time.Hour)
	both := scheduleAt(env, 90*time.Minute, "both", ScheduleRequest{Editor: "edith", At: t0.Add(time.Hour).Format(time.RFC3339), Clear: true})
	clear := scheduleAt(env, 2*time.Hour, "clear", ScheduleRequest{Editor: "edith", Clear: true})
	pub, _ := onPublish(env)
	env.ExecuteWorkflow(ReportWorkflow, scheduledIn(t0.Add(48*time.Hour)))
	require.NoError(t, env.GetWorkflowError())
	requireType(t, both.rejected, ErrInvalidSchedule)
	require.NoError(t, clear.rejected)
	require.True(t, clear.completed, "the clear Update completed")
	require.NoError(t, clear.err)
	require.True(t, clear.result.PublishAt.IsZero())
	require.Len(t, pub.get(), 1)
	require.True(t, pub.get()[0].PublishedAt.Equal(t0.Add(2*time.Hour)), "published at %v", pub.get()[0].PublishedAt)
}

func TestApprovalAfterTheTimePublishesAtOnce(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveChildren(t, env, 3*time.Hour)
	before := queryAt(t, env, 2*time.Hour)
	pub, _ := onPublish(env)
	env.ExecuteWorkflow(ReportWorkflow, scheduledIn(t0.Add(time.Hour)))
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, StageInReview, before.Stage, "past its time, the report still waits for its reviews")
	require.Len(t, pub.get(), 1)
	require.True(t, pub.get()[0].PublishedAt.Equal(t0.Add(3*time.Hour)), "published at %v", pub.get()[0].PublishedAt)
}

func TestScheduleRefusedOncePublishing(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveChildren(t, env, time.Hour)
	late := scheduleAt(env, 70*time.Minute, "late", ScheduleRequest{Editor: "edith", At: t0.Add(48 * time.Hour).Format(time.RFC3339)})
	_, call := onPublish(env)
	call.After(30 * time.Minute) // the publish is still running at 70 minutes
	env.ExecuteWorkflow(ReportWorkflow, reportIn(false))
	require.NoError(t, env.GetWorkflowError())
	requireType(t, late.rejected, ErrScheduleClosed)
}

func TestScheduleWithEditorGateWaitsAfterApproval(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveChildren(t, env, time.Hour)
	gate := queryAt(t, env, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateApprove, "ok", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("approve refused: %v", err) }, OnAccept: func() {}, OnComplete: func(any, error) {},
		}, ApproveRequest{Editor: "edith"})
	}, 3*time.Hour)
	waiting := queryAt(t, env, 4*time.Hour)
	pub, _ := onPublish(env)
	in := scheduledIn(t0.Add(24 * time.Hour))
	in.RequireApproval = true
	env.ExecuteWorkflow(ReportWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, StageAwaitingApproval, gate.Stage)
	require.Equal(t, StageScheduled, waiting.Stage)
	require.Len(t, pub.get(), 1)
	require.True(t, pub.get()[0].PublishedAt.Equal(t0.Add(24*time.Hour)))
}

func TestPerLocalePublishesEachApproval(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveLocale(t, env, time.Hour, "fr", "claire")
	mid := queryAt(t, env, 2*time.Hour)
	approveLocale(t, env, 3*time.Hour, "ar", "amal")
	pub, _ := onPublish(env)
	in := reportIn(false)
	in.Policy = PolicyPerLocale
	env.ExecuteWorkflow(ReportWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	var rel Release
	require.NoError(t, env.GetWorkflowResult(&rel))
	require.Equal(t, 2, rel.Version)
	all := pub.get()
	require.Len(t, all, 2, "one release per approval")
	require.Equal(t, []string{"fr"}, localesOf(all[0]))
	require.Equal(t, []string{"fr", "ar"}, localesOf(all[1]), "the second release keeps the first locale")
	require.Len(t, all[1].Approvals, 2)
	require.Equal(t, StageInReview, mid.Stage, "a locale is still in review")
	require.Equal(t, StagePublished, mid.Locales[0].Stage, "fr is published")
	require.Equal(t, StageInReview, mid.Locales[1].Stage)
	require.NotNil(t, mid.Release)
	require.Equal(t, 1, mid.Release.Version)
}

func TestPerLocaleWaitsForTheEmbargoThenPublishesTogether(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	onTranslateReport(env).Once()
	approveLocale(t, env, time.Hour, "fr", "claire")
	approveLocale(t, env, 2*time.Hour, "ar", "amal")
	pub, _ := onPublish(env)
	in := scheduledIn(t0.Add(5 * time.Hour))
	in.Policy = PolicyPerLocale
	env.ExecuteWorkflow(ReportWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	all := pub.get()
	require.Len(t, all, 1, "everything approved by the time goes out in one release")
	require.Equal(t, []string{"fr", "ar"}, localesOf(all[0]))
	require.True(t, all[0].PublishedAt.Equal(t0.Add(5*time.Hour)))
}

func TestBadPolicyIsRefused(t *testing.T) {
	for _, in := range []ReportInput{
		func() ReportInput { in := reportIn(false); in.Policy = "sometimes"; return in }(),
		func() ReportInput { in := reportIn(true); in.Policy = PolicyPerLocale; return in }(),
	} {
		env := newEnv(t)
		env.ExecuteWorkflow(ReportWorkflow, in)
		requireType(t, env.GetWorkflowError(), ErrBadInput)
	}
}

func localesOf(in PublishInput) []string {
	var out []string
	for _, ls := range in.Locales {
		out = append(out, ls.Locale)
	}
	return out
}

// A revision's locale with nothing changed gets no task: it is approved
// with the approval it carries, and publishes with the others.
func TestRevisionUnchangedLocaleNeedsNoTask(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	carried := Approval{Locale: "fr", By: "claire", At: t0.Add(-24 * time.Hour)}
	env.OnActivity(ActivityTranslateReport, mock.Anything, mock.Anything).Return([]TranslateOutput{
		{Locale: "fr", Draft: draft1, Segments: 3, CarriedFrom: 1, Review: 0, Carried: &carried},
		{Locale: "ar", Draft: draft2, Segments: 3, CarriedFrom: 1, Review: 1},
	}, nil).Once()
	approveLocale(t, env, time.Hour, "ar", "amal")
	mid := queryAt(t, env, 30*time.Minute)
	pub, _ := onPublish(env)
	env.ExecuteWorkflow(ReportWorkflow, reportIn(false))
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, StageApproved, mid.Locales[0].Stage, "fr needs no review")
	require.Equal(t, 1, mid.Locales[0].CarriedFrom)
	require.Equal(t, StageInReview, mid.Locales[1].Stage)
	require.Equal(t, 1, mid.Locales[1].Review, "ar reviews its one changed segment")
	all := pub.get()
	require.Len(t, all, 1)
	require.Equal(t, []string{"fr", "ar"}, localesOf(all[0]))
	require.Equal(t, "claire", all[0].Approvals[0].By, "fr keeps its approval")
	require.True(t, all[0].Approvals[0].At.Equal(carried.At))
	require.Equal(t, "amal", all[0].Approvals[1].By)
}

// A locale whose every segment is carried still gets a task when the
// checks find an error in it: the checks gate it as they gate a
// reviewer's approval.
func TestRevisionCarriedLocaleWithFailingChecksIsReviewed(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(t0)
	carried := Approval{Locale: "fr", By: "claire", At: t0.Add(-24 * time.Hour)}
	env.OnActivity(ActivityTranslateReport, mock.Anything, mock.Anything).Return([]TranslateOutput{
		{Locale: "fr", Draft: draft1, Segments: 3, CarriedFrom: 1, Review: 0, Carried: &carried, Checks: CheckOutput{Errors: 1, Failing: []string{"p-1"}}},
		{Locale: "ar", Draft: draft2, Segments: 3, CarriedFrom: 1, Review: 0, Carried: &carried},
	}, nil).Once()
	mid := queryAt(t, env, 30*time.Minute)
	env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, time.Hour)
	env.ExecuteWorkflow(ReportWorkflow, reportIn(false))
	require.Equal(t, StageInReview, mid.Locales[0].Stage, "fr has a failing check: a task")
	require.Equal(t, StageApproved, mid.Locales[1].Stage, "ar needs no review")
}
