package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/devstack"
	"github.com/pressroom/pressroom/workflows"
)

// What `make run` does: `pressroom demo` starts its own stack, publishes
// the example in six languages and says where to look. Then `pressroom dev`
// on the same state directory finds the data again, other commands find
// the stack with no flags, and Ctrl-C stops everything cleanly.
func TestDemoThenDevKeepsData(t *testing.T) {
	dir := t.TempDir()
	ports := map[string]int{}
	for _, p := range []string{"temporal", "ui", "s3", "site"} {
		ports[p], _ = devstack.FreePort("127.0.0.1")
	}
	stackFlags := []string{"--bin-dir", env.binDir,
		"--temporal-port", strconv.Itoa(ports["temporal"]), "--ui-port", strconv.Itoa(ports["ui"]),
		"--s3-port", strconv.Itoa(ports["s3"]), "--site-port", strconv.Itoa(ports["site"])}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	demo := exec.CommandContext(ctx, env.pressroom, append([]string{"demo", "--exit"}, stackFlags...)...)
	demo.Dir = dir
	out, err := demo.CombinedOutput()
	if err != nil {
		t.Fatalf("pressroom demo: %v\n%s", err, out)
	}
	for _, want := range []string{"Workbench: http://", "PASSWORD", "DEMO REVIEWER", "Published glacier-dialogue-2026 v1", "/ar/glacier-dialogue-2026/", "Temporal UI", "rejected with"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}

	// Start the dev stack again on the same state directory.
	dev := exec.Command(env.pressroom, append([]string{"dev"}, stackFlags...)...)
	dev.Dir = dir
	stdout, _ := dev.StdoutPipe()
	dev.Stderr = os.Stderr
	if err := dev.Start(); err != nil {
		t.Fatal(err)
	}
	defer dev.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var printed strings.Builder
	waitFor(t, lines, &printed, "Press Ctrl-C", time.Minute)

	// No flags and no environment: the commands find the stack through .pressroom/dev.json.
	bare := func(args ...string) string {
		cmd := exec.Command(env.pressroom, args...)
		cmd.Dir = dir
		cmd.Env = withoutStackEnv()
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pressroom %s: %v\n%s", strings.Join(args, " "), err, b)
		}
		return string(b)
	}
	var st workflows.ReportStatus
	if err := json.Unmarshal([]byte(bare("status", "glacier-dialogue-2026", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Stage != workflows.StagePublished || st.Release == nil || st.Release.Version != 1 || len(st.Locales) != 5 {
		t.Fatalf("after restart: %+v", st)
	}
	if got := bare("get", "releases/glacier-dialogue-2026/latest.json"); !strings.Contains(got, `"version":1`) {
		t.Fatalf("latest.json after restart: %s", got)
	}
	// The reader site serves the published pages.
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/zh-Hans/glacier-dialogue-2026/", ports["site"]))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `lang="zh-Hans"`) || resp.Header.Get("Content-Language") != "zh-Hans" {
		t.Fatalf("site page: %d %v\n%.300s", resp.StatusCode, resp.Header, body)
	}

	// Ctrl-C stops everything and the process exits 0.
	if err := dev.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, lines, &printed, "stopped; data kept", 30*time.Second)
	done := make(chan error, 1)
	go func() { done <- dev.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("pressroom dev exited with %v after Ctrl-C", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("pressroom dev did not exit after Ctrl-C")
	}
	// The servers are gone: their ports are free again.
	for _, p := range []string{"temporal", "s3", "site"} {
		if ln, err := listen(ports[p]); err != nil {
			t.Errorf("%s port %d still taken after stop: %v", p, ports[p], err)
		} else {
			ln.Close()
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".pressroom", "temporal.db")); err != nil {
		t.Errorf("Temporal state not kept: %v", err)
	}
}

func waitFor(t *testing.T, lines <-chan string, seen *strings.Builder, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("output ended before %q:\n%s", want, seen)
			}
			seen.WriteString(l + "\n")
			if strings.Contains(l, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q within %s:\n%s", want, timeout, seen)
		}
	}
}

func withoutStackEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TEMPORAL_") || strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "PRESSROOM_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}
