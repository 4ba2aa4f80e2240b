package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/workflows"
)

// A huge edit is bad input, refused before Temporal or the store is
// touched (the Service here has neither: reaching them would panic).
func TestReviewRefusesEditsOverTheLimits(t *testing.T) {
	s := &Service{}
	for name, c := range map[string]struct {
		edits map[string]string
		want  string
	}{
		"1 MiB segment": {map[string]string{"p-1": strings.Repeat("x", 1<<20)}, "translation of segment p-1 is 1048576 characters long; the limit is 20000"},
		"link openers":  {map[string]string{"p-1": "ok", "p-2": strings.Repeat("[a](", 1000)}, "translation of segment p-2 has 1000 '['"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Review(context.Background(), ReviewRequest{Slug: "s", Locale: "fr", Reviewer: "claire", Action: workflows.ActionEdit, Edits: c.edits})
			var bad *report.Error
			if !errors.As(err, &bad) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a *report.Error saying %q", err, c.want)
			}
		})
	}
}
