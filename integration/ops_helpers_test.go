package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pressroom/pressroom/workflows"
)

// withEnv returns environ with the given KEY=value pairs replacing or
// adding to it (exec keeps the last of duplicate keys).
func withEnv(environ []string, kv ...string) []string {
	return append(append([]string{}, environ...), kv...)
}

// runPressroom runs the CLI with an explicit environment.
func runPressroom(t *testing.T, dir string, environ []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, env.pressroom, append([]string{"--state-dir", filepath.Join(dir, "no-dev-state")}, args...)...)
	cmd.Dir = dir
	cmd.Env = environ
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("pressroom %s: %v", strings.Join(args, " "), err)
	}
	return result{out.String(), errb.String(), code}
}

func mustRunPressroom(t *testing.T, dir string, environ []string, args ...string) string {
	t.Helper()
	r := runPressroom(t, dir, environ, args...)
	if r.code != 0 {
		t.Fatalf("pressroom %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// startProcess starts a long-running pressroom command (worker, serve)
// with an explicit environment; it is killed when the test ends.
func startProcess(t *testing.T, environ []string, args ...string) *workerProc {
	t.Helper()
	cmd := exec.Command(env.pressroom, args...)
	cmd.Env = environ
	cmd.Dir = t.TempDir()
	w := &workerProc{cmd: cmd, logs: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = w.logs // the log; read only after the process ended
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.done <- cmd.Wait() }()
	t.Cleanup(func() {
		w.kill()
		if t.Failed() {
			t.Logf("pressroom %s log:\n%s", strings.Join(args, " "), w.logs)
		}
	})
	return w
}

// waitExit waits for a process that should end by itself.
func (w *workerProc) waitExit(timeout time.Duration) (error, bool) {
	select {
	case err := <-w.done:
		w.done <- err
		return err, true
	case <-time.After(timeout):
		return nil, false
	}
}

// waitLocaleStage polls `pressroom status --json` through environ until
// the locale reaches the stage.
func waitLocaleStage(t *testing.T, dir string, environ []string, slug, locale string, stage workflows.Stage) {
	t.Helper()
	eventually(t, 2*time.Minute, locale+" "+string(stage), func() error {
		r := runPressroom(t, dir, environ, "status", slug, "--json")
		if r.code != 0 {
			return fmt.Errorf("status exit %d: %s", r.code, r.stderr)
		}
		var st workflows.ReportStatus
		if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
			return err
		}
		for _, l := range st.Locales {
			if l.Locale == locale && l.Stage == stage {
				return nil
			}
		}
		return fmt.Errorf("stage %s, locales %+v", st.Stage, st.Locales)
	})
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
