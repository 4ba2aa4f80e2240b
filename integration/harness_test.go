package integration

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/devstack"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
)

// env is the shared stack every test in this package uses.
var env struct {
	binDir    string // temporal, versitygw
	pressroom string // the built binary
	stack     *devstack.Stack
	cfg       config.Config
	client    client.Client
	store     *store.Store
	svc       *service.Service
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	if testing.Short() && os.Getenv("CI") != "true" {
		fmt.Fprintln(os.Stderr, "integration: skipped with -short (never under CI=true)")
		return 0
	}
	binDir := os.Getenv("PRESSROOM_BIN_DIR")
	if binDir == "" {
		binDir, _ = filepath.Abs("../bin")
	}
	_, errT := devstack.FindBinary(binDir, "temporal")
	_, errV := devstack.FindBinary(binDir, "versitygw")
	if errT != nil || errV != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "integration: required tools missing under CI=true:", errT, errV)
			return 1
		}
		fmt.Fprintln(os.Stderr, "integration: skipping, tools missing (run `make tools`):", errT, errV)
		return 0
	}
	env.binDir = binDir
	tmp, err := os.MkdirTemp("", "pressroom-it-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)

	env.pressroom = filepath.Join(tmp, "pressroom")
	build := exec.Command("go", "build", "-race", "-o", env.pressroom, "../cmd/pressroom")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "integration: build pressroom:", err)
		return 1
	}

	ctx := context.Background()
	tport, _ := devstack.FreePort("127.0.0.1")
	sport, _ := devstack.FreePort("127.0.0.1")
	var logw *os.File
	if os.Getenv("PRESSROOM_TEST_LOG") != "" {
		logw = os.Stderr
	}
	opts := devstack.Options{StateDir: filepath.Join(tmp, "state"), BinDir: binDir, TemporalPort: tport, UIPort: -1, S3Port: sport}
	if logw != nil {
		opts.Log = logw
	}
	env.stack, err = devstack.Start(ctx, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration: start stack:", err)
		return 1
	}
	defer env.stack.Stop()
	env.cfg = config.Config{
		TemporalAddress: env.stack.TemporalAddress, Namespace: "default", TaskQueue: "pressroom-it",
		S3:     config.S3{Endpoint: env.stack.S3Endpoint, Region: "us-east-1", AccessKey: env.stack.AccessKey, SecretKey: env.stack.SecretKey, Bucket: env.stack.Bucket},
		Source: "integration test",
	}
	env.client, err = app.Dial(ctx, env.cfg, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer env.client.Close()
	env.store, err = store.New(ctx, env.cfg.Store())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	env.svc = &service.Service{Temporal: env.client, Store: env.store, TaskQueue: env.cfg.TaskQueue}
	return m.Run()
}

// cliEnv is the environment a pressroom process gets: the ecosystem's own
// variable names pointing at the test stack, and no dev.json.
func cliEnv(taskQueue string) []string {
	return append(os.Environ(),
		"TEMPORAL_ADDRESS="+env.cfg.TemporalAddress,
		"TEMPORAL_NAMESPACE=default",
		"PRESSROOM_TASK_QUEUE="+taskQueue,
		"AWS_ENDPOINT_URL_S3="+env.cfg.S3.Endpoint,
		"AWS_ACCESS_KEY_ID="+env.cfg.S3.AccessKey,
		"AWS_SECRET_ACCESS_KEY="+env.cfg.S3.SecretKey,
		"AWS_REGION=us-east-1",
		"PRESSROOM_BUCKET="+env.cfg.S3.Bucket,
	)
}

// result of one pressroom command.
type result struct {
	stdout, stderr string
	code           int
}

// pressroom runs the CLI in dir with the test stack's environment.
func pressroom(t *testing.T, dir, taskQueue string, args ...string) result {
	t.Helper()
	return runPressroom(t, dir, cliEnv(taskQueue), args...)
}

// mustPressroom runs the CLI and fails the test on a non-zero exit.
func mustPressroom(t *testing.T, dir, taskQueue string, args ...string) string {
	t.Helper()
	r := pressroom(t, dir, taskQueue, args...)
	if r.code != 0 {
		t.Fatalf("pressroom %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// workerProc is a `pressroom worker` child process.
type workerProc struct {
	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan error
}

func startWorker(t *testing.T, taskQueue string) *workerProc {
	t.Helper()
	cmd := exec.Command(env.pressroom, "worker")
	cmd.Env = cliEnv(taskQueue)
	cmd.Dir = t.TempDir()
	w := &workerProc{cmd: cmd, logs: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = w.logs, w.logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.done <- cmd.Wait() }()
	t.Cleanup(func() {
		w.kill()
		if t.Failed() {
			t.Logf("worker log:\n%s", w.logs)
		}
	})
	return w
}

// kill ends the worker the hard way, as a crash would.
func (w *workerProc) kill() {
	_ = w.cmd.Process.Kill()
	<-w.done
	w.done <- nil // later kills return at once
}

// stop ends the worker with SIGTERM and says whether it exited cleanly.
func (w *workerProc) stop() error {
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-w.done:
		w.done <- nil
		return err
	case <-time.After(30 * time.Second):
		return fmt.Errorf("worker did not stop within 30s")
	}
}

// eventually polls f until it returns nil or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = f(); err == nil {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("%s: still failing after %s: %v", what, timeout, err)
}
