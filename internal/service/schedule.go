package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/workflows"
)

// checkPublishing refuses a bad publish time or policy at submit, before
// anything is stored or started.
func checkPublishing(req SubmitRequest, now time.Time) error {
	if !req.PublishAt.IsZero() {
		if err := workflows.CheckPublishAt(req.PublishAt, now); err != nil {
			return report.Errors{{File: req.Name, Field: "publish_at", Msg: err.Error()}}
		}
	}
	if err := workflows.CheckPolicy(req.Policy, req.RequireApproval); err != nil {
		return report.Errors{{File: req.Name, Field: "policy", Msg: err.Error()}}
	}
	return nil
}

// ParsePublishAt reads an RFC 3339 publish time given by a person.
func ParsePublishAt(s string) (time.Time, error) {
	return workflows.ParsePublishAt(s, time.Now())
}

// Schedule moves a report's publish time to at (RFC 3339), or clears it
// when at is "": the report's `schedule` Update, whose validator refuses
// a bad time and any change once publishing has started.
func (s *Service) Schedule(ctx context.Context, slug, editor, at string) (workflows.ScheduleResult, error) {
	req := workflows.ScheduleRequest{Editor: editor, At: at, Clear: at == ""}
	var res workflows.ScheduleResult
	// No Update ID: moving A→B→A must apply three times; the client's
	// own retries of one call reuse the ID it generates.
	err := s.update(ctx, workflows.ReportID(slug), "", workflows.UpdateSchedule, req, &res)
	if errors.Is(err, ErrNotFound) {
		// A report that has ended takes no Updates: say which way it ended.
		if desc, derr := s.Temporal.DescribeWorkflow(ctx, workflows.ReportID(slug), ""); derr == nil &&
			desc.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return res, &RefusedError{Type: workflows.ErrScheduleClosed, Reason: fmt.Sprintf("report %s has already ended (%s): there is no publish time to change",
				slug, strings.ToLower(strings.TrimPrefix(desc.Status.String(), "WORKFLOW_EXECUTION_STATUS_")))}
		}
	}
	return res, err
}
