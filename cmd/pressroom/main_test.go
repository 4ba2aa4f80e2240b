package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
)

// Exit codes follow the error's type, never its wording.
func TestExitCodeByType(t *testing.T) {
	run := func(args ...string) error {
		root := newRoot()
		root.SetArgs(args)
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		return root.Execute()
	}
	cases := []struct {
		name string
		err  error
		code int
	}{
		{"unknown command", run("statu"), exitBadInput},
		{"unknown flag", run("status", "--no-such-flag"), exitBadInput},
		{"bad report", fmt.Errorf("submit: %w", report.Errors{{File: "r.md", Line: 3, Msg: "bad"}}), exitBadInput},
		{"bad configuration", &config.Error{Where: "temporal.toml", Err: errors.New("unknown key")}, exitBadInput},
		{"refused", fmt.Errorf("review: %w", &service.RefusedError{Reason: "not the assignee"}), exitRefused},
		{"conflict", &service.ConflictError{Reason: "newer save"}, exitRefused},
		{"not found", fmt.Errorf("report/x: %w", service.ErrNotFound), exitNotFound},
		// Wording alone decides nothing.
		{"a failure that reads like a usage error", errors.New("unknown command in the worker's log"), exitFailure},
		{"no error", nil, exitOK},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.code {
			t.Errorf("%s (%v): exit %d, want %d", c.name, c.err, got, c.code)
		}
	}
	var usage usageError
	if err := run("statu"); !errors.As(err, &usage) || err.Error() != "unknown command \"statu\" for \"pressroom\"\n\nDid you mean this?\n\tstatus" {
		t.Errorf("unknown command: %q", err)
	}
}

// The machine-translation flags override the environment.
func TestMTFlagsOverrideTheEnvironment(t *testing.T) {
	t.Setenv("TEMPORAL_CONFIG_FILE", filepath.Join(t.TempDir(), "absent.toml"))
	t.Setenv("PRESSROOM_MT", "es=apertium,*=pseudo")
	t.Setenv("PRESSROOM_APERTIUM_URL", "http://env:2737")
	t.Setenv("PRESSROOM_DEEPL_KEY", "env-key")
	g := &globals{stateDir: t.TempDir()}
	cfg, err := g.load()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MT != "es=apertium,*=pseudo" || cfg.Providers.ApertiumURL != "http://env:2737" || cfg.Providers.DeepLKey != "env-key" {
		t.Fatalf("from the environment: %+v", cfg)
	}
	g.mt, g.apertiumURL = "*=pseudo", "http://flag:2737"
	if cfg, err = g.load(); err != nil {
		t.Fatal(err)
	}
	if cfg.MT != "*=pseudo" || cfg.Providers.ApertiumURL != "http://flag:2737" || cfg.Providers.DeepLKey != "env-key" || cfg.Source != "flags" {
		t.Fatalf("flags should override the environment field by field: %+v", cfg)
	}
}
