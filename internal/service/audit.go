package service

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/converter"

	"github.com/pressroom/pressroom/workflows"
)

// AuditEntry is one thing that happened to a report: who did what to
// which segments, and when.
type AuditEntry struct {
	At       time.Time `json:"at"`
	Locale   string    `json:"locale,omitempty"`
	Who      string    `json:"who,omitempty"`
	Action   string    `json:"action"`
	Segments []string  `json:"segments,omitempty"`
	Comment  string    `json:"comment,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// Audit derives a report's audit trail from the workflow histories of the
// report and of each locale: Temporal's event history is the record, so
// there is no log file to keep in step with it.
func (s *Service) Audit(ctx context.Context, slug string) ([]AuditEntry, error) {
	out, input, err := s.auditWorkflow(ctx, workflows.ReportID(slug), "")
	if err != nil {
		return nil, err
	}
	for _, l := range input.Targets {
		es, _, err := s.auditWorkflow(ctx, workflows.LocaleID(slug, l), l)
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			continue // not started yet
		}
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	slices.SortStableFunc(out, func(a, b AuditEntry) int { return a.At.Compare(b.At) })
	return out, nil
}

func (s *Service) auditWorkflow(ctx context.Context, id, locale string) ([]AuditEntry, workflows.ReportInput, error) {
	var out []AuditEntry
	var in workflows.ReportInput
	dc := converter.GetDefaultDataConverter()
	decode := func(p *commonpb.Payloads, v any) bool {
		return p != nil && len(p.GetPayloads()) > 0 && dc.FromPayload(p.GetPayloads()[0], v) == nil
	}
	// Activities are named in their scheduled event; completion refers back to it.
	scheduled := map[int64]string{}
	assignee := "" // the locale's current assignee, to name who an escalation took the task from
	unassigned := false
	accepted := map[string]*historypb.HistoryEvent{}
	it := s.Temporal.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			var nf *serviceerror.NotFound
			if errors.As(err, &nf) {
				return nil, in, fmt.Errorf("%s: %w", id, errors.Join(ErrNotFound, err))
			}
			return nil, in, err
		}
		at := e.GetEventTime().AsTime()
		add := func(a AuditEntry) {
			a.At, a.Locale = at, locale
			out = append(out, a)
		}
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			if locale == "" && decode(e.GetWorkflowExecutionStartedEventAttributes().GetInput(), &in) {
				add(AuditEntry{Who: in.SubmittedBy, Action: "submitted", Detail: "to " + strings.Join(in.Targets, ", ")})
			}
			// A locale workflow starts when its task is ready for review.
			var li workflows.LocaleInput
			if locale != "" && decode(e.GetWorkflowExecutionStartedEventAttributes().GetInput(), &li) {
				assignee = li.Assignee
				if li.First != nil {
					add(AuditEntry{Action: "assigned", Who: orPool(li.Assignee)})
				} else {
					unassigned = true // assigned once its own first draft is done
				}
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			a := e.GetActivityTaskScheduledEventAttributes()
			scheduled[e.GetEventId()] = a.GetActivityType().GetName()
		case enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
			// Events delivered to the webhook; only a reminder has no other trace.
			a := e.GetStartChildWorkflowExecutionInitiatedEventAttributes()
			var ev workflows.Event
			if a.GetWorkflowType().GetName() == workflows.EventWorkflowName && decode(a.GetInput(), &ev) && ev.Type == workflows.EventTaskReminder {
				add(AuditEntry{Action: "reminded", Who: orPool(ev.Assignee)})
			}
		case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
			// The deadline's escalation is the assignee becoming the pool.
			var v string
			p := e.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields()[workflows.SearchAssignee]
			if locale != "" && p != nil && dc.FromPayload(p, &v) == nil && v == workflows.PoolAssignee && assignee != "" {
				add(AuditEntry{Action: "escalated", Detail: "deadline passed; from " + assignee + " to the locale's pool"})
				assignee = ""
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			a := e.GetActivityTaskCompletedEventAttributes()
			switch scheduled[a.GetScheduledEventId()] {
			case workflows.ActivityTranslate:
				var tr workflows.TranslateOutput
				if decode(a.GetResult(), &tr) {
					add(AuditEntry{Action: "translated", Detail: provenanceSummary(tr.Provenance)})
					if unassigned {
						unassigned = false
						add(AuditEntry{Action: "assigned", Who: orPool(assignee)})
					}
				}
			case workflows.ActivityTranslateReport:
				var drafts []workflows.TranslateOutput
				if decode(a.GetResult(), &drafts) {
					for _, tr := range drafts {
						add(AuditEntry{Action: "translated", Detail: provenanceSummary(tr.Provenance)})
						out[len(out)-1].Locale = tr.Locale
					}
				}
			case workflows.ActivityPublish:
				var rel workflows.Release
				if decode(a.GetResult(), &rel) {
					add(AuditEntry{Action: "published", Detail: fmt.Sprintf("v%d %s", rel.Version, rel.Manifest.Key)})
				}
			}
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			// Recorded when it completes: an accepted update whose handler
			// then failed (a conflict, say) did not happen.
			a := e.GetWorkflowExecutionUpdateAcceptedEventAttributes()
			accepted[a.GetAcceptedRequest().GetMeta().GetUpdateId()] = e
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
			c := e.GetWorkflowExecutionUpdateCompletedEventAttributes()
			acc, ok := accepted[c.GetMeta().GetUpdateId()]
			if !ok || c.GetOutcome().GetFailure() != nil {
				continue
			}
			req := acc.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest()
			switch req.GetInput().GetName() {
			case workflows.UpdateReview:
				var r workflows.ReviewRequest
				if decode(req.GetInput().GetArgs(), &r) {
					add(AuditEntry{Who: r.Reviewer, Action: reviewVerb(r.Action), Segments: r.SegmentIDs, Comment: r.Comment})
				}
			case workflows.UpdateApprove:
				var r workflows.ApproveRequest
				if decode(req.GetInput().GetArgs(), &r) {
					add(AuditEntry{Who: r.Editor, Action: "approved for publishing"})
				}
			}
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
			add(AuditEntry{Action: "cancel requested", Who: e.GetWorkflowExecutionCancelRequestedEventAttributes().GetIdentity()})
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
			add(AuditEntry{Action: "failed", Detail: e.GetWorkflowExecutionFailedEventAttributes().GetFailure().GetMessage()})
		}
	}
	return out, in, nil
}

func reviewVerb(action workflows.Action) string {
	switch action {
	case workflows.ActionApprove:
		return "approved"
	case workflows.ActionReject:
		return "rejected"
	case workflows.ActionEdit:
		return "edited"
	}
	return string(action)
}

func orPool(user string) string {
	if user == "" || user == workflows.PoolAssignee {
		return "the locale's pool"
	}
	return user
}

func provenanceSummary(p map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, p[k]))
	}
	return strings.Join(parts, " ")
}
