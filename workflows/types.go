// Package workflows holds Pressroom's Temporal workflow code and the small
// types that cross the workflow boundary. It is deterministic and does no
// I/O: document text lives in S3 and only references and hashes travel
// through workflow history.
package workflows

import "time"

// Names shared with workers and clients.
const (
	ReportWorkflowName = "ReportWorkflow"
	LocaleWorkflowName = "LocaleWorkflow"

	// EventWorkflowName delivers one webhook event on its own, so a
	// receiver that is down never holds a report open.
	EventWorkflowName = "EventWorkflow"

	QueryStatus   = "status"
	UpdateReview  = "review"
	UpdateApprove = "approve"
	// UpdateSchedule moves or clears a report's publish time.
	UpdateSchedule = "schedule"

	ActivityTranslate       = "Translate"       // one locale: drafts and checks (QA runs inside)
	ActivityTranslateReport = "TranslateReport" // every target of a report's first round at once
	ActivityApplyEdits      = "ApplyEdits"
	ActivityPublish         = "Publish"
	ActivityNotify          = "Notify"
)

// Search attributes (Keyword) set by the workflows, so Temporal's
// visibility store is the task list: no second database.
const (
	SearchStage    = "PressroomStage"
	SearchSlug     = "PressroomSlug"
	SearchLocale   = "PressroomLocale"
	SearchAssignee = "PressroomAssignee"
)

// ReportID and LocaleID are the workflow IDs.
func ReportID(slug string) string         { return "report/" + slug }
func LocaleID(slug, locale string) string { return "report/" + slug + "/" + locale }

// Stage of a report or of one locale.
type Stage string

const (
	StageDraft            Stage = "draft"
	StageTranslating      Stage = "translating"
	StageChecking         Stage = "checking"
	StageInReview         Stage = "in_review"
	StageAwaitingApproval Stage = "awaiting_approval"
	StageApproved         Stage = "approved"
	StageScheduled        Stage = "scheduled" // approved, waiting for its publish time
	StagePublishing       Stage = "publishing"
	StagePublished        Stage = "published"
	StageFailed           Stage = "failed"
	StageCancelled        Stage = "cancelled"
)

// Ref is a claim check: where a document is and what its bytes hash to.
type Ref struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size,omitempty"`
}

// Assignment names the translator who reviews one locale.
type Assignment struct {
	Locale string `json:"locale"`
	User   string `json:"user"`
}

// ReportInput starts a ReportWorkflow.
type ReportInput struct {
	Slug            string       `json:"slug"`
	Source          Ref          `json:"source"`
	SourceLocale    string       `json:"source_locale"`
	Targets         []string     `json:"targets"`
	Reviewers       []Assignment `json:"reviewers,omitempty"`
	RequireApproval bool         `json:"require_approval,omitempty"`
	SubmittedBy     string       `json:"submitted_by,omitempty"`
	// Deadlines per locale; a Deadline with Locale "" applies to the rest.
	Deadlines []LocaleDeadline `json:"deadlines,omitempty"`
	// Events says a webhook receives this report's events. The service
	// sets it from its configuration at submit time, so the workflow knows
	// deterministically and schedules nothing when nobody listens.
	Events bool `json:"events,omitempty"`
	// PublishAt embargoes the release: approved earlier, it waits on a
	// durable timer until then. Zero publishes as soon as it is approved.
	PublishAt time.Time `json:"publish_at,omitzero"`
	// Policy is PolicyAllAtOnce ("" too) or PolicyPerLocale.
	Policy string `json:"policy,omitempty"`
}

// Publish policies: one release once every locale is approved, or one
// release per approval (breaking news), each with every locale approved
// so far.
const (
	PolicyAllAtOnce = "all-at-once"
	PolicyPerLocale = "per-locale"
)

// MaxScheduleAhead bounds how far ahead a publish time may be.
const MaxScheduleAhead = 366 * 24 * time.Hour

// LocaleDeadline is the deadline policy of one locale ("" for all).
type LocaleDeadline struct {
	Locale string `json:"locale,omitempty"`
	Deadline
}

// LocaleInput starts a LocaleWorkflow.
type LocaleInput struct {
	Slug         string   `json:"slug"`
	Source       Ref      `json:"source"`
	SourceLocale string   `json:"source_locale"`
	Locale       string   `json:"locale"`
	Assignee     string   `json:"assignee,omitempty"` // "" = the locale's pool: any translator of the locale
	Deadline     Deadline `json:"deadline,omitzero"`
	Events       bool     `json:"events,omitempty"` // deliver events to the webhook
	// First is the first round's draft when the report workflow made it:
	// the locale then starts in review. Without it the locale translates.
	First *TranslateOutput `json:"first,omitempty"`
}

// Deadline is a review deadline policy, counted from when the locale's
// task is first in review: a reminder RemindBefore the deadline, an escalation at it
// (the task goes to the locale's pool and the editor is told).
type Deadline struct {
	Within       time.Duration `json:"within,omitempty"`
	RemindBefore time.Duration `json:"remind_before,omitempty"`
}

// PoolAssignee is the PressroomAssignee value of an unassigned task.
const PoolAssignee = "pool"

// Event types delivered to webhooks.
const (
	EventTaskAssigned    = "task.assigned"
	EventTaskReminder    = "task.reminder"
	EventTaskEscalated   = "task.escalated"
	EventLocaleApproved  = "locale.approved"
	EventReportPublished = "report.published"
)

// Event is one notification. ID is its idempotency key: the same event is
// delivered with the same ID however often delivery is retried.
type Event struct {
	ID       string    `json:"id"`
	Type     string    `json:"type"`
	Slug     string    `json:"slug"`
	Locale   string    `json:"locale,omitempty"`
	Assignee string    `json:"assignee,omitempty"`
	Previous string    `json:"previous_assignee,omitempty"`
	By       string    `json:"by,omitempty"`
	Version  int       `json:"version,omitempty"`
	DueAt    time.Time `json:"due_at,omitzero"`
	At       time.Time `json:"at"`
}

// TranslateInput asks for a draft of the source in one locale.
type TranslateInput struct {
	Slug         string `json:"slug"`
	Source       Ref    `json:"source"`
	SourceLocale string `json:"source_locale"`
	Locale       string `json:"locale"`
	Round        int    `json:"round"`
	// CarryFrom is the release a revision's first draft carried approved
	// segments from (0: none): a later round carries from the same one,
	// not from a release this report has published since.
	CarryFrom int `json:"carry_from,omitempty"`
}

// TranslateReportInput asks for the first drafts of every target.
type TranslateReportInput struct {
	Slug         string   `json:"slug"`
	Source       Ref      `json:"source"`
	SourceLocale string   `json:"source_locale"`
	Locales      []string `json:"locales"`
}

// TranslateOutput is the draft and what its quality checks found. The
// segment IDs stay in S3 (the source): ApplyEdits refuses unknown ones.
type TranslateOutput struct {
	Locale     string         `json:"locale,omitempty"`
	Draft      Ref            `json:"draft"`
	Segments   int            `json:"segments"`
	Provenance map[string]int `json:"provenance"` // count of segments per provenance
	Checks     CheckOutput    `json:"checks"`
	// A revision of a published report carries every segment whose source
	// is unchanged since the latest release, with its approved text
	// (provenance "approved vN"). Review counts the rest, which the task
	// asks to review; CarriedFrom is that release's version (0: none).
	Review      int `json:"review,omitempty"`
	CarriedFrom int `json:"carried_from,omitempty"`
	// Carried is the locale's approval in that release, kept when nothing
	// in the locale needs review.
	Carried *Approval `json:"carried,omitempty"`
}

// Unchanged says the locale needs no review: every segment is carried
// and the checks find no error (checks that changed since the release
// it was approved in still gate it, as they gate a reviewer's approval).
func (t TranslateOutput) Unchanged() bool {
	return t.CarriedFrom > 0 && t.Review == 0 && t.Checks.Errors == 0
}

// CarriedWhole says the report approved the locale without a task: it
// was Unchanged when drafted.
func (ls LocaleStatus) CarriedWhole() bool {
	return ls.CarriedFrom > 0 && ls.Review == 0 && ls.Stage == StageApproved
}

// CheckOutput counts what the checks found; the findings themselves are
// stored beside the draft.
type CheckOutput struct {
	Errors   int      `json:"errors"`
	Warnings int      `json:"warnings"`
	Failing  []string `json:"failing,omitempty"` // segment IDs with errors (the first few)
	Findings Ref      `json:"findings"`          // every finding, stored beside the draft
}

// ApplyEditsInput applies a reviewer's edits to a draft.
type ApplyEditsInput struct {
	Slug     string `json:"slug"`
	Source   Ref    `json:"source"`
	Locale   string `json:"locale"`
	Draft    Ref    `json:"draft"`
	Edits    Ref    `json:"edits"`
	Reviewer string `json:"reviewer"`
}

// ApplyEditsOutput is the new draft revision and its checks.
type ApplyEditsOutput struct {
	Draft  Ref         `json:"draft"`
	Checks CheckOutput `json:"checks"`
}

// Action is what a reviewer does with a task in the `review` Update.
type Action string

// Review actions.
const (
	ActionApprove Action = "approve"
	ActionEdit    Action = "edit"
	ActionReject  Action = "reject"
)

// ReviewRequest is the payload of the `review` Update. Edits travel as a
// reference to a JSON object of segment ID → text stored in S3, with the
// IDs it touches listed so the validator can refuse unknown ones.
type ReviewRequest struct {
	Reviewer   string   `json:"reviewer"`
	Action     Action   `json:"action"`
	Comment    string   `json:"comment,omitempty"`
	Edits      *Ref     `json:"edits,omitempty"`
	SegmentIDs []string `json:"segment_ids,omitempty"`
	// BaseDraft is the sha256 of the draft the reviewer saw. An edit is
	// refused as a conflict if another save changed one of the same
	// segments since; an approval is refused if the current draft is any
	// other one (a colleague's later edit is never approved unseen).
	BaseDraft string `json:"base_draft,omitempty"`
}

// Error types of refused Updates (application errors, non-retryable):
// the service maps them to HTTP statuses and exit codes by type.
const (
	ErrInvalidReview    = "InvalidReview"        // missing reviewer, comment or edits; unknown action
	ErrNotAssignee      = "NotAssignee"          // the caller is not the task's assignee
	ErrNotInReview      = "NotInReview"          // the task is translating, approved or ended
	ErrChecksFailing    = "QualityChecksFailing" // approval while quality checks report errors
	ErrUnknownSegment   = "UnknownSegment"       // an edit names a segment the source does not have
	ErrNotAwaiting      = "NotAwaitingApproval"  // the editor's approval when none is due
	ErrConflictType     = "EditConflict"         // a newer save or draft than the one the caller saw
	ErrInvalidApprove   = "InvalidApprove"       // an editor's approval without an editor
	ErrNoApprovalNeeded = "NoApprovalRequired"   // the report does not require editor approval
	ErrInvalidSchedule  = "InvalidSchedule"      // a publish time that does not parse, is past or too far ahead
	ErrScheduleClosed   = "ScheduleClosed"       // the report is already publishing or has ended
)

// RefusalTypes lists every error type a validator or handler refuses
// with: anything else from an Update is a failure, not a refusal.
var RefusalTypes = []string{ErrInvalidReview, ErrNotAssignee, ErrNotInReview, ErrChecksFailing,
	ErrUnknownSegment, ErrNotAwaiting, ErrConflictType, ErrInvalidApprove, ErrNoApprovalNeeded,
	ErrInvalidSchedule, ErrScheduleClosed}

// ConflictDetails travel with an ErrConflictType error.
type ConflictDetails struct {
	SegmentID string `json:"segment_id,omitempty"` // "" when an approval met a newer draft
	By        string `json:"by"`
	Draft     Ref    `json:"draft"` // the current draft, with the newer text
}

// ReviewResult answers the `review` Update.
type ReviewResult struct {
	Stage  Stage       `json:"stage"`
	Draft  Ref         `json:"draft"`
	Checks CheckOutput `json:"checks"`
}

// ApproveRequest is the payload of the report's `approve` Update.
type ApproveRequest struct {
	Editor string `json:"editor"`
}

// ScheduleRequest is the payload of the report's `schedule` Update: a
// new publish time (RFC 3339) or, with Clear, none.
type ScheduleRequest struct {
	Editor string `json:"editor"`
	At     string `json:"at,omitempty"`
	Clear  bool   `json:"clear,omitempty"`
}

// ScheduleResult answers the `schedule` Update.
type ScheduleResult struct {
	Stage     Stage     `json:"stage"`
	PublishAt time.Time `json:"publish_at,omitzero"`
}

// LocaleStatus is one locale's progress, as a locale workflow reports it.
type LocaleStatus struct {
	Locale      string         `json:"locale"`
	Stage       Stage          `json:"stage"`
	Assignee    string         `json:"assignee,omitempty"`
	Round       int            `json:"round"`
	Segments    int            `json:"segments"`
	Edits       int            `json:"edits"`
	Draft       Ref            `json:"draft"`
	Source      Ref            `json:"source"`
	Checks      CheckOutput    `json:"checks"`
	Provenance  map[string]int `json:"provenance,omitempty"`
	Review      int            `json:"review,omitempty"`       // segments to review; the rest are carried
	CarriedFrom int            `json:"carried_from,omitempty"` // release the carried segments were approved in
	LastComment string         `json:"last_comment,omitempty"`
	DueAt       time.Time      `json:"due_at,omitzero"`
	Escalated   bool           `json:"escalated,omitempty"`
	ApprovedBy  string         `json:"approved_by,omitempty"`
	ApprovedAt  time.Time      `json:"approved_at,omitzero"`
	Error       string         `json:"error,omitempty"`
}

// Approval records who approved what and when; it goes into the manifest.
type Approval struct {
	Locale string    `json:"locale,omitempty"` // "" for the editor's approval of the report
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// PublishInput asks for one release to be written.
type PublishInput struct {
	Slug         string         `json:"slug"`
	Source       Ref            `json:"source"`
	SourceLocale string         `json:"source_locale"`
	Locales      []LocaleStatus `json:"locales"` // approved drafts, in target order
	Approvals    []Approval     `json:"approvals"`
	PublishedAt  time.Time      `json:"published_at"`
}

// Release is the result of publishing.
type Release struct {
	Version  int  `json:"version"`
	Manifest Ref  `json:"manifest"`
	Objects  int  `json:"objects"`
	Reused   bool `json:"reused,omitempty"` // identical content was already the latest release
}

// ReportStatus answers the report's `status` query.
type ReportStatus struct {
	Slug            string         `json:"slug"`
	Stage           Stage          `json:"stage"`
	SourceLocale    string         `json:"source_locale"`
	Source          Ref            `json:"source"`
	RequireApproval bool           `json:"require_approval"`
	Policy          string         `json:"policy,omitempty"`
	PublishAt       time.Time      `json:"publish_at,omitzero"`
	ScheduledBy     string         `json:"scheduled_by,omitempty"` // who last moved or cleared the time
	Locales         []LocaleStatus `json:"locales"`
	Approvals       []Approval     `json:"approvals,omitempty"`
	Release         *Release       `json:"release,omitempty"`
	Error           string         `json:"error,omitempty"`
}
