package service

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/workflows"
)

// Refusals are mapped by their error type: the same message under another
// type is a failure, and every type the workflows refuse with is a refusal.
func TestRefusalByType(t *testing.T) {
	for _, typ := range workflows.RefusalTypes {
		if typ == workflows.ErrConflictType {
			continue
		}
		err := fmt.Errorf("update: %w", temporal.NewNonRetryableApplicationError("any words at all", typ, nil))
		var r *RefusedError
		if !errors.As(refusal(err), &r) || r.Type != typ || r.Reason != "any words at all" {
			t.Errorf("%s: got %v", typ, refusal(err))
		}
	}
	// The wording of a refusal under a type that is not one is a failure.
	if got := refusal(temporal.NewApplicationError("alice is not the assignee of the fr task", "wrapError")); got != nil {
		t.Errorf("an untyped error was taken for a refusal: %v", got)
	}
	if got := refusal(errors.New("connection reset")); got != nil {
		t.Errorf("a plain error was taken for a refusal: %v", got)
	}
	conflict := temporal.NewApplicationErrorWithOptions("draft changed", workflows.ErrConflictType, temporal.ApplicationErrorOptions{
		NonRetryable: true, Details: []any{workflows.ConflictDetails{SegmentID: "p-1", By: "bernard", Draft: workflows.Ref{SHA256: "d2"}}}})
	var c *ConflictError
	if !errors.As(refusal(conflict), &c) || c.SegmentID != "p-1" || c.By != "bernard" || c.Draft.SHA256 != "d2" {
		t.Errorf("conflict: got %#v", refusal(conflict))
	}
}

// The task list's filters are conditions of the visibility query, values
// quoted.
func TestTaskQuery(t *testing.T) {
	q := taskQuery(TaskFilter{Worker: "o'brien", WorkerLocales: []string{"fr", "ar"}, Slug: "x"})
	for _, want := range []string{
		"WorkflowType = 'LocaleWorkflow'", "ExecutionStatus = 'Running'", "PressroomStage = 'in_review'",
		"PressroomSlug = 'x'", `PressroomAssignee IN ('o\'brien', 'pool')`, "PressroomLocale IN ('fr', 'ar')",
	} {
		if !strings.Contains(q, want) {
			t.Errorf("query lacks %s:\n%s", want, q)
		}
	}
	if q := taskQuery(TaskFilter{}); strings.Contains(q, "IN (") || strings.Contains(q, workflows.SearchAssignee) {
		t.Errorf("an editor's unfiltered list has conditions: %s", q)
	}
}

// The releases package's refusals keep their type through the service,
// so the API's 409 names it.
func TestReleasesRefusalKeepsItsType(t *testing.T) {
	var r *RefusedError
	err := releasesError(fmt.Errorf("unpublish: %w", &releases.RefusedError{Type: releases.AlreadyUnpublished, Reason: "already"}))
	if !errors.As(err, &r) || r.Type != releases.AlreadyUnpublished || r.Reason != "already" {
		t.Errorf("got %#v", err)
	}
}
