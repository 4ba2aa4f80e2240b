// Package s3test gives package tests a real S3 bucket: one versitygw per
// test binary (bin/versitygw from `make tools`, or on PATH), a fresh empty
// bucket per test. Without versitygw a test skips with a message, except
// under CI=true, where that is a failure — as with the seed (testseed).
package s3test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/devstack"
	"github.com/pressroom/pressroom/internal/store"
)

var (
	once     sync.Once
	server   *devstack.Stack
	stateDir string
	startErr error
	buckets  atomic.Int64
)

// Main runs a package's tests (call it from TestMain) and stops the
// server, if a test started one, when they are done.
func Main(m *testing.M) {
	code := m.Run()
	if server != nil {
		_ = server.Stop()
	}
	if stateDir != "" {
		_ = os.RemoveAll(stateDir)
	}
	os.Exit(code)
}

// Store returns a store on a new, empty bucket of the test binary's
// versitygw, starting it on first use. Packages using it call Main from
// their TestMain, so the server stops with the tests.
func Store(t testing.TB) *store.Store {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("versitygw is required under CI=true: %v", startErr)
		}
		t.Skipf("no S3 server for this test (run `make tools`): %v; skipping outside CI", startErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.New(ctx, store.Config{Endpoint: server.S3Endpoint, Region: "us-east-1",
		AccessKey: server.AccessKey, SecretKey: server.SecretKey, Bucket: fmt.Sprintf("test-%d", buckets.Add(1))})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

func start() {
	port, err := devstack.FreePort("127.0.0.1")
	if err != nil {
		startErr = err
		return
	}
	if stateDir, err = os.MkdirTemp("", "pressroom-s3test-"); err != nil {
		startErr = err
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	server, startErr = devstack.Start(ctx, devstack.Options{StateDir: stateDir, BinDir: binDir(), S3Port: port, S3Only: true})
}

// binDir is the module's bin/, found from this file's place in the tree
// (tests run in their own package's folder).
func binDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "bin"
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "bin")
}
