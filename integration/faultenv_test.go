package integration

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
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
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// faultEnv is a stack of its own — Temporal dev server with a persistent
// database file and versitygw — that a fault test may kill and restart,
// a webhook receiver, and `pressroom worker` processes against it.
type faultEnv struct {
	stack   *devstack.Stack
	cfg     config.Config
	client  client.Client
	store   *store.Store
	svc     *service.Service
	hook    *receiver
	hookURL string
}

func newFaultEnv(t *testing.T) *faultEnv {
	t.Helper()
	ctx := context.Background()
	tport, _ := devstack.FreePort("127.0.0.1")
	sport, _ := devstack.FreePort("127.0.0.1")
	opts := devstack.Options{StateDir: filepath.Join(t.TempDir(), "state"), BinDir: env.binDir, TemporalPort: tport, UIPort: -1, S3Port: sport}
	if os.Getenv("PRESSROOM_TEST_LOG") != "" {
		opts.Log = os.Stderr
	}
	st, err := devstack.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Stop() })
	f := &faultEnv{stack: st}
	f.cfg = config.Config{
		TemporalAddress: st.TemporalAddress, Namespace: "default", TaskQueue: "fault",
		S3:     config.S3{Endpoint: st.S3Endpoint, Region: "us-east-1", AccessKey: st.AccessKey, SecretKey: st.SecretKey, Bucket: st.Bucket},
		Source: "fault test",
	}
	if f.client, err = app.Dial(ctx, f.cfg, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.client.Close)
	if f.store, err = store.New(ctx, f.cfg.Store()); err != nil {
		t.Fatal(err)
	}
	f.svc = &service.Service{Temporal: f.client, Store: f.store, TaskQueue: f.cfg.TaskQueue}
	f.hook = &receiver{secret: []byte("fault-hook-secret"), seen: map[string]int{}}
	srv := httptest.NewServer(f.hook)
	t.Cleanup(srv.Close)
	f.hookURL = srv.URL
	return f
}

// procEnv is the environment of pressroom processes against this stack,
// webhook included.
func (f *faultEnv) procEnv() []string {
	return append(os.Environ(),
		"TEMPORAL_ADDRESS="+f.cfg.TemporalAddress, "TEMPORAL_NAMESPACE=default",
		"PRESSROOM_TASK_QUEUE="+f.cfg.TaskQueue,
		"AWS_ENDPOINT_URL_S3="+f.cfg.S3.Endpoint, "AWS_ACCESS_KEY_ID="+f.cfg.S3.AccessKey,
		"AWS_SECRET_ACCESS_KEY="+f.cfg.S3.SecretKey, "AWS_REGION=us-east-1", "PRESSROOM_BUCKET="+f.cfg.S3.Bucket,
		"PRESSROOM_WEBHOOK_URL="+f.hookURL, "PRESSROOM_WEBHOOK_SECRET="+string(f.hook.secret),
		"PRESSROOM_MT=*=pseudo",
	)
}

// submit runs `pressroom submit` (which knows from the environment that
// a webhook is configured). A report already in progress — an earlier
// attempt that started it — counts as submitted.
func (f *faultEnv) submit(ctx context.Context, dir, slug string, data []byte, args ...string) error {
	file := filepath.Join(dir, slug+".md")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, env.pressroom, append([]string{"--state-dir", filepath.Join(dir, "no-dev-state"), "submit", file}, args...)...)
	cmd.Env, cmd.Dir = f.procEnv(), dir
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 3 && strings.Contains(string(out), "progress") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pressroom submit %s: %v: %s", slug, err, out)
	}
	return nil
}

// startWorker runs `pressroom worker` against this stack, with webhooks.
func (f *faultEnv) startWorker(t *testing.T) *workerProc {
	t.Helper()
	cmd := exec.Command(env.pressroom, "worker")
	cmd.Env = f.procEnv()
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
			tail := w.logs.String()
			if len(tail) > 4000 {
				tail = tail[len(tail)-4000:]
			}
			t.Logf("worker log (tail):\n%s", tail)
		}
	})
	return w
}

// retrying calls f until it succeeds, the error is permanent, or the
// deadline passes: services come and go in these tests.
func retrying(ctx context.Context, what string, f func(context.Context) error) error {
	var last error
	for {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		last = f(cctx)
		cancel()
		if last == nil {
			return nil
		}
		var refused *service.RefusedError
		var conflict *service.ConflictError
		if errors.As(last, &refused) || errors.As(last, &conflict) {
			return last
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w (last error: %v)", what, ctx.Err(), last)
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// waitStage polls a locale until it reaches stage.
func (f *faultEnv) waitStage(ctx context.Context, slug, locale string, stage workflows.Stage) (workflows.LocaleStatus, error) {
	var ls workflows.LocaleStatus
	err := retrying(ctx, slug+"/"+locale+" "+string(stage), func(ctx context.Context) error {
		var err error
		if ls, err = f.svc.LocaleStatus(ctx, slug, locale); err != nil {
			return err
		}
		if ls.Stage != stage {
			return fmt.Errorf("stage %s", ls.Stage)
		}
		return nil
	})
	return ls, err
}

// checkPublished checks what readers and consumers of one report see:
// one version for its one content, latest.json pointing at a complete
// manifest whose every object matches its sha256, the site pages equal to
// the release's. It returns the manifest.
func (f *faultEnv) checkPublished(t *testing.T, slug string) release.Manifest {
	t.Helper()
	ctx := context.Background()
	keys, err := f.store.ListKeys(ctx, "releases/"+slug+"/")
	if err != nil {
		t.Fatal(err)
	}
	var claims, manifests []string
	for _, k := range keys {
		switch {
		case strings.HasSuffix(k, "/claim.json"):
			claims = append(claims, k)
		case strings.HasSuffix(k, "/manifest.json"):
			manifests = append(manifests, k)
		}
	}
	if len(claims) != 1 || len(manifests) != 1 || claims[0] != store.ReleaseClaimKey(slug, 1) {
		t.Errorf("%s: claims %v, manifests %v; want v1 only (one content, published once)", slug, claims, manifests)
	}
	var latest release.Latest
	if err := f.store.GetJSON(ctx, store.LatestKey(slug), &latest); err != nil {
		t.Fatalf("%s: %v", slug, err)
	}
	var m release.Manifest
	if err := f.store.GetJSON(ctx, latest.Manifest, &m); err != nil {
		t.Fatalf("%s: latest.json points at %s: %v", slug, latest.Manifest, err)
	}
	if problems := f.incomplete(ctx, m); len(problems) > 0 {
		t.Errorf("%s v%d incomplete: %v", slug, m.Version, problems)
	}
	for _, l := range m.Locales {
		page, _ := f.store.Get(ctx, store.ReleasePageKey(slug, m.Version, l))
		site, err := f.store.Get(ctx, store.SitePageKey(l, slug))
		if err != nil || !bytes.Equal(site, page) {
			t.Errorf("%s: site page %s is not the release's (%v)", slug, l, err)
		}
	}
	return m
}

// incomplete lists what is missing or wrong in a release.
func (f *faultEnv) incomplete(ctx context.Context, m release.Manifest) []string {
	var out []string
	for _, o := range m.Objects {
		b, err := f.store.Get(ctx, o.Key)
		if err != nil {
			out = append(out, o.Key+": "+err.Error())
		} else if store.SHA256(b) != o.SHA256 {
			out = append(out, o.Key+": sha256 differs from the manifest")
		}
	}
	return out
}
