package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/s3test"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// The store is a real versitygw; the rules below refuse before Temporal
// is asked anything, so these Services have no Temporal client (reaching
// it would panic).
func TestMain(m *testing.M) { s3test.Main(m) }

const reportMD = `---
title: Office hours change for the summer
slug: summer-hours
---

We open at 9.
`

// Submit refuses a report with no targets, or a reviewer for a locale
// that is not one, saying which, before anything is written.
func TestSubmitRefusesBeforeWriting(t *testing.T) {
	st := s3test.Store(t)
	s := &Service{Store: st}
	cases := []struct {
		name string
		req  SubmitRequest
		want string
	}{
		{"no targets", SubmitRequest{Name: "r.md", Data: []byte(reportMD)}, "no target locales"},
		{"reviewer of no target", SubmitRequest{Name: "r.md", Data: []byte(reportMD), Options: report.Options{Targets: []string{"fr"}},
			Reviewers: []workflows.Assignment{{Locale: "es", User: "sofia"}}}, "reviewer sofia is assigned to es, which is not a target (targets: fr)"},
		{"not a report", SubmitRequest{Name: "r.md", Data: []byte("---\ntitle: [unclosed\n---\n")}, "r.md"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Submit(context.Background(), tc.req)
			var bad report.Errors
			var one *report.Error
			if !(errors.As(err, &bad) || errors.As(err, &one)) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want bad input saying %q", err, tc.want)
			}
		})
	}
	if keys, err := st.ListKeys(context.Background(), ""); err != nil || len(keys) != 0 {
		t.Fatalf("refused submissions wrote %v (%v)", keys, err)
	}
}

// An edit is refused, typed, before it is stored or sent: no segments,
// a segment the source lacks (UnknownSegment), an empty text.
func TestReviewRefusesEditsBeforeWriting(t *testing.T) {
	st := s3test.Store(t)
	ctx := context.Background()
	r, err := report.Parse("r.md", []byte(reportMD), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	src := workflows.Ref{Key: store.SourceKey(r.Slug, store.SHA256(b)), SHA256: store.SHA256(b)}
	if _, err := st.PutImmutable(ctx, src.Key, b, store.Meta{}); err != nil {
		t.Fatal(err)
	}
	current := &workflows.LocaleStatus{Locale: "fr", Stage: workflows.StageInReview, Source: src, Round: 1}
	para := r.Segments[len(r.Segments)-1].ID
	s := &Service{Store: st}
	cases := []struct {
		name     string
		edits    map[string]string
		wantType string
		want     string
	}{
		{"no segments", map[string]string{}, workflows.ErrInvalidReview, "name no segments"},
		{"unknown segment", map[string]string{para: "Nous ouvrons à 9 h.", "p-404": "?"}, workflows.ErrUnknownSegment, `unknown segment ID "p-404" in fr`},
		{"empty text", map[string]string{para: "  "}, "", "edit of segment " + para + " is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Review(ctx, ReviewRequest{Slug: r.Slug, Locale: "fr", Reviewer: "claire", Action: workflows.ActionEdit, Edits: tc.edits, Current: current})
			var refused *RefusedError
			if !errors.As(err, &refused) || refused.Type != tc.wantType || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %#v, want a refusal of type %q saying %q", err, tc.wantType, tc.want)
			}
		})
	}
	if keys, err := st.ListKeys(ctx, "drafts/"+r.Slug+"/"+src.SHA256+"/fr/"); err != nil || len(keys) != 0 {
		t.Fatalf("refused edits were stored: %v (%v)", keys, err)
	}
}

// Who may work on a task: admins always; a translator of the locale when
// the task is theirs or the pool's; nobody else.
func TestMayWork(t *testing.T) {
	claire := auth.User{Name: "claire", Role: auth.RoleTranslator, Locales: []string{"fr"}}
	cases := []struct {
		user             auth.User
		locale, assignee string
		may              bool
	}{
		{claire, "fr", "claire", true},
		{claire, "fr", workflows.PoolAssignee, true},
		{claire, "fr", "", true},
		{claire, "fr", "bernard", false},
		{claire, "es", "claire", false},
		{auth.User{Name: "admin", Role: auth.RoleAdmin}, "ar", "amal", true},
		{auth.User{Name: "edith", Role: auth.RoleEditor}, "fr", workflows.PoolAssignee, false},
	}
	for _, c := range cases {
		if got := MayWork(c.user, c.locale, c.assignee); got != c.may {
			t.Errorf("MayWork(%s %s, %s, assigned to %q) = %v, want %v", c.user.Role, c.user.Name, c.locale, c.assignee, got, c.may)
		}
	}
}
