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
func translateStub(context.Context, TranslateInput) (TranslateOutput, error) { panic("mocked") }
func checkStub(context.Context, CheckInput) (CheckOutput, error)             { panic("mocked") }
func applyEditsStub(context.Context, ApplyEditsInput) (Ref, error)           { panic("mocked") }
func publishStub(context.Context, PublishInput) (Release, error)             { panic("mocked") }
func notifyStub(context.Context, Event) error                                { panic("mocked") }

var (
	source = Ref{Key: "drafts/s/abc/source.json", SHA256: "abc"}
	draft1 = Ref{Key: "drafts/s/abc/fr/d1.json", SHA256: "d1"}
	draft2 = Ref{Key: "drafts/s/abc/fr/d2.json", SHA256: "d2"}
	edits  = Ref{Key: "drafts/s/abc/fr/edits/e1.json", SHA256: "e1"}
	ids    = []string{"p-1", "p-2", "title"}
)

// events records what the Notify activity was asked to deliver.
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
	env.RegisterActivityWithOptions(translateStub, activity.RegisterOptions{Name: ActivityTranslate})
	env.RegisterActivityWithOptions(checkStub, activity.RegisterOptions{Name: ActivityCheck})
	env.RegisterActivityWithOptions(applyEditsStub, activity.RegisterOptions{Name: ActivityApplyEdits})
	env.RegisterActivityWithOptions(publishStub, activity.RegisterOptions{Name: ActivityPublish})
	env.OnActivity(ActivityNotify, mock.Anything, mock.Anything).Return(nil).Run(func(args mock.Arguments) {
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

func onTranslate(env *testsuite.TestWorkflowEnvironment) *testsuite.MockCallWrapper {
	return env.OnActivity(ActivityTranslate, mock.Anything, mock.Anything).
		Return(TranslateOutput{Draft: draft1, Segments: len(ids), SegmentIDs: ids, Provenance: map[string]int{"mt:pseudo": 3}}, nil)
}

func onCheckClean(env *testsuite.TestWorkflowEnvironment) {
	env.OnActivity(ActivityCheck, mock.Anything, mock.Anything).Return(CheckOutput{}, nil)
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
	onCheckClean(env)
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
	onCheckClean(env)
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.MatchedBy(func(in ApplyEditsInput) bool {
		return in.Draft == draft1 && in.Edits == edits && in.Reviewer == "claire"
	})).Return(draft2, nil).Once()
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
	onCheckClean(env)
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
	onCheckClean(env)
	cases := []struct {
		name string
		req  ReviewRequest
		want string
	}{
		{"not the assignee", ReviewRequest{Reviewer: "mallory", Action: ActionApprove}, "not the assignee"},
		{"unknown segment", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-404"}}, `unknown segment ID "p-404"`},
		{"reject without comment", ReviewRequest{Reviewer: "claire", Action: ActionReject}, "needs a comment"},
		{"unknown action", ReviewRequest{Reviewer: "claire", Action: "publish"}, "unknown action"},
		{"no reviewer", ReviewRequest{Action: ActionApprove}, "reviewer is required"},
	}
	outs := make([]*outcome, len(cases))
	for i, c := range cases {
		outs[i] = review(env, time.Minute, c.name, c.req)
	}
	review(env, 2*time.Minute, "approve", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	late := review(env, 3*time.Minute, "late", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	for i, c := range cases {
		require.ErrorContains(t, outs[i].rejected, c.want, c.name)
	}
	// After approval the workflow has completed: the update cannot land.
	require.False(t, late.done && late.rejected == nil && late.err == nil, "an update after approval must not succeed")
}

func TestLocaleBeforeReviewIsRefused(t *testing.T) {
	env := newEnv(t)
	// Translation takes ten minutes; a review arriving at one minute finds
	// no task in review.
	onTranslate(env).After(10 * time.Minute).Once()
	onCheckClean(env)
	early := review(env, time.Minute, "early", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	review(env, 20*time.Minute, "ok", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.ErrorContains(t, early.rejected, "not in review")
}

func TestLocaleCheckErrorsBlockApproval(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	env.OnActivity(ActivityCheck, mock.Anything, mock.Anything).Return(CheckOutput{Errors: 1, Failing: []string{"p-1"}}, nil).Once()
	env.OnActivity(ActivityCheck, mock.Anything, mock.Anything).Return(CheckOutput{}, nil).Once()
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.Anything).Return(draft2, nil).Once()
	blocked := review(env, time.Minute, "a1", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	review(env, 2*time.Minute, "e1", ReviewRequest{Reviewer: "claire", Action: ActionEdit, Edits: &edits, SegmentIDs: []string{"p-1"}})
	review(env, 3*time.Minute, "a2", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	env.ExecuteWorkflow(LocaleWorkflow, localeIn("claire"))
	require.NoError(t, env.GetWorkflowError())
	require.ErrorContains(t, blocked.rejected, "quality check error")
}

func TestFailingActivityIsRetried(t *testing.T) {
	env := newEnv(t)
	env.OnActivity(ActivityTranslate, mock.Anything, mock.Anything).Return(TranslateOutput{}, errors.New("connection refused")).Once()
	onTranslate(env).Once()
	onCheckClean(env)
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

func approveChildren(t *testing.T, env *testsuite.TestWorkflowEnvironment, at time.Duration) {
	env.RegisterDelayedCallback(func() {
		for _, a := range reportIn(false).Reviewers {
			err := env.UpdateWorkflowByID(LocaleID("s", a.Locale), UpdateReview, "approve-"+a.Locale, &testsuite.TestUpdateCallback{
				OnReject: func(err error) { t.Errorf("approve %s refused: %v", a.Locale, err) },
				OnAccept: func() {}, OnComplete: func(any, error) {},
			}, ReviewRequest{Reviewer: a.User, Action: ActionApprove})
			require.NoError(t, err)
		}
	}, at)
}

func TestReportHappyPathPublishes(t *testing.T) {
	env := newEnv(t)
	onTranslate(env)
	onCheckClean(env)
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
	onTranslate(env)
	onCheckClean(env)
	approveChildren(t, env, time.Hour)
	var waiting ReportStatus
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryStatus)
		require.NoError(t, err)
		require.NoError(t, v.Get(&waiting))
		// An empty editor is refused by the validator.
		env.UpdateWorkflow(UpdateApprove, "bad", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { require.ErrorContains(t, err, "editor is required") },
			OnAccept: func() { t.Error("approve without editor accepted") }, OnComplete: func(any, error) {},
		}, ApproveRequest{})
	}, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateApprove, "ok", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("approve refused: %v", err) },
			OnAccept: func() {}, OnComplete: func(any, error) {},
		}, ApproveRequest{Editor: "edith"})
	}, 3*time.Hour)
	env.OnActivity(ActivityPublish, mock.Anything, mock.MatchedBy(func(in PublishInput) bool {
		last := in.Approvals[len(in.Approvals)-1]
		return last.By == "edith" && last.Locale == ""
	})).Return(Release{Version: 1}, nil).Once()
	env.ExecuteWorkflow(ReportWorkflow, reportIn(true))
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, StageAwaitingApproval, waiting.Stage)
}

func TestReportWithoutGateRefusesApprove(t *testing.T) {
	env := newEnv(t)
	onTranslate(env)
	onCheckClean(env)
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
}

// The deadline policy on durable timers, with time skipping: a reminder
// a day before, at the deadline the task goes to the locale's pool and
// anyone of that locale may complete it.
func TestLocaleDeadlineRemindsThenEscalates(t *testing.T) {
	env, ev := newEnvWithEvents(t)
	onTranslate(env).Once()
	onCheckClean(env)
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
	env.ExecuteWorkflow(LocaleWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
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
	onCheckClean(env)
	review(env, time.Hour, "a", ReviewRequest{Reviewer: "claire", Action: ActionApprove})
	in := localeIn("claire")
	in.Deadline = Deadline{Within: 48 * time.Hour, RemindBefore: 24 * time.Hour}
	env.ExecuteWorkflow(LocaleWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []string{EventTaskAssigned, EventLocaleApproved}, ev.types())
}

// Two reviewers save the same segment from the same draft: the second is
// refused as a conflict naming who changed it; a save of another segment
// from the old draft goes through.
func TestLocaleConcurrentEditsConflict(t *testing.T) {
	env := newEnv(t)
	onTranslate(env).Once()
	onCheckClean(env)
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.MatchedBy(func(in ApplyEditsInput) bool { return in.Draft == draft1 })).Return(draft2, nil).Once()
	draft3 := Ref{Key: "drafts/s/abc/fr/d3.json", SHA256: "d3"}
	env.OnActivity(ActivityApplyEdits, mock.Anything, mock.MatchedBy(func(in ApplyEditsInput) bool { return in.Draft == draft2 })).Return(draft3, nil).Once()
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
	onTranslate(env)
	onCheckClean(env)
	approveChildren(t, env, time.Hour)
	env.OnActivity(ActivityPublish, mock.Anything, mock.Anything).Return(Release{Version: 4}, nil).Once()
	env.ExecuteWorkflow(ReportWorkflow, reportIn(false))
	require.NoError(t, env.GetWorkflowError())
	types := ev.types()
	require.Equal(t, EventReportPublished, types[len(types)-1])
	ev.mu.Lock()
	require.Equal(t, 4, ev.all[len(ev.all)-1].Version)
	ev.mu.Unlock()
}
