// Package devstack runs Pressroom's local stack as child processes: the
// Temporal dev server (the `temporal` CLI) and versitygw as the S3 server,
// both keeping their data under one state directory. `pressroom dev`, the
// demo and the integration tests all start the stack through here, so the
// tests exercise exactly what a newcomer runs.
package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// SearchAttributes are the custom search attributes (Keyword) Pressroom's
// workflows set, named in workflows; the dev server registers them at
// start, app.EnsureSearchAttributes on another cluster, and the compose
// checks look for each in docker-compose.yml.
var SearchAttributes = []string{workflows.SearchStage, workflows.SearchSlug, workflows.SearchLocale, workflows.SearchAssignee}

// Options configures the stack. Zero ports mean the usual defaults
// (7233, 8233, 7070); use FreePort for tests.
type Options struct {
	StateDir     string // data of both servers lives here
	BinDir       string // where `make` installed temporal and versitygw; PATH is searched too
	Host         string // default 127.0.0.1
	TemporalPort int
	UIPort       int // 0 = TemporalPort+1000; negative = no UI
	S3Port       int
	AccessKey    string
	SecretKey    string
	Bucket       string
	Log          io.Writer // server output; nil discards it
	// S3Only starts versitygw alone, for package tests that need a real
	// bucket and no Temporal.
	S3Only bool
}

// Stack is a running dev stack.
type Stack struct {
	TemporalAddress string
	UIURL           string
	S3Endpoint      string
	AccessKey       string
	SecretKey       string
	Bucket          string
	procs           []*process
}

type process struct {
	name    string
	bin     string
	args    []string
	log     io.Writer
	cmd     *exec.Cmd
	done    chan struct{}
	err     error
	stopped bool // by StopServer, to be started again
}

// FindBinary looks for a tool in binDir first, then on PATH.
func FindBinary(binDir, name string) (string, error) {
	if binDir != "" {
		p := filepath.Join(binDir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return filepath.Abs(p)
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found in %s or on PATH: run `make tools` to install it", name, binDir)
}

// FreePort asks the kernel for an unused TCP port on host.
func FreePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start launches both servers and returns once each answers.
func Start(ctx context.Context, o Options) (*Stack, error) {
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.TemporalPort == 0 {
		o.TemporalPort = 7233
	}
	if o.UIPort == 0 {
		o.UIPort = o.TemporalPort + 1000
	}
	if o.S3Port == 0 {
		o.S3Port = 7070
	}
	if o.Bucket == "" {
		o.Bucket = "pressroom"
	}
	if o.AccessKey == "" {
		o.AccessKey, o.SecretKey = "pressroom", "pressroom-dev-secret"
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	var temporalBin string
	var err error
	if !o.S3Only {
		if temporalBin, err = FindBinary(o.BinDir, "temporal"); err != nil {
			return nil, err
		}
	}
	versityBin, err := FindBinary(o.BinDir, "versitygw")
	if err != nil {
		return nil, err
	}
	// versitygw wants absolute paths for its root and sidecar.
	stateDir, err := filepath.Abs(o.StateDir)
	if err != nil {
		return nil, err
	}
	s3Dir := filepath.Join(stateDir, "s3")
	s3Meta := filepath.Join(stateDir, "meta") // versitygw refuses a sidecar whose path merely starts with the root path, such as s3-meta
	for _, d := range []string{stateDir, s3Dir, s3Meta} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	ports := []int{o.TemporalPort, o.S3Port}
	if o.S3Only {
		ports = ports[1:]
	}
	for _, p := range ports {
		if err := portFree(o.Host, p); err != nil {
			return nil, err
		}
	}

	st := &Stack{
		TemporalAddress: net.JoinHostPort(o.Host, strconv.Itoa(o.TemporalPort)),
		S3Endpoint:      "http://" + net.JoinHostPort(o.Host, strconv.Itoa(o.S3Port)),
		AccessKey:       o.AccessKey, SecretKey: o.SecretKey, Bucket: o.Bucket,
	}
	targs := []string{"server", "start-dev",
		"--ip", o.Host, "--port", strconv.Itoa(o.TemporalPort),
		"--db-filename", filepath.Join(stateDir, "temporal.db"),
		// WAL with synchronous=normal: commits no longer wait for an fsync
		// each, which more than doubles what the dev server can take. A
		// power cut (not a crash of the process) may lose the last
		// commits; the database itself stays consistent.
		"--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
		"--log-level", "warn",
	}
	if o.UIPort > 0 {
		targs = append(targs, "--ui-port", strconv.Itoa(o.UIPort))
		st.UIURL = "http://" + net.JoinHostPort(o.Host, strconv.Itoa(o.UIPort))
	} else {
		targs = append(targs, "--headless")
	}
	for _, sa := range SearchAttributes {
		targs = append(targs, "--search-attribute", sa+"=Keyword")
	}
	if o.S3Only {
		st.TemporalAddress, st.UIURL = "", ""
	} else if err := st.spawn(Temporal, temporalBin, targs, o.Log); err != nil {
		return nil, err
	}
	vargs := []string{"--port", net.JoinHostPort(o.Host, strconv.Itoa(o.S3Port)),
		"--access", o.AccessKey, "--secret", o.SecretKey, "--quiet",
		// Without it versitygw closes every connection after one
		// response, and each request pays for a new one on both sides.
		"--keep-alive",
		"posix", "--sidecar", s3Meta, s3Dir}
	if err := st.spawn(VersityGW, versityBin, vargs, o.Log); err != nil {
		st.Stop()
		return nil, err
	}
	if err := st.waitReady(ctx); err != nil {
		st.Stop()
		return nil, err
	}
	return st, nil
}

func portFree(host string, port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("port %d on %s is taken (is another `pressroom dev` running?): %w", port, host, err)
	}
	return l.Close()
}

func (s *Stack) spawn(name, bin string, args []string, log io.Writer) error {
	p := &process{name: name, bin: bin, args: args, log: log}
	if err := p.start(); err != nil {
		return err
	}
	s.procs = append(s.procs, p)
	return nil
}

func (p *process) start() error {
	name := p.name
	cmd := exec.Command(p.bin, p.args...)
	cmd.Stdout, cmd.Stderr = prefixed(p.log, name), prefixed(p.log, name)
	// Own process group, so a Ctrl-C in the terminal reaches Pressroom
	// first and it stops the servers in order; Pdeathsig stops them if
	// Pressroom itself is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	p.cmd, p.done, p.err, p.stopped = cmd, make(chan struct{}), nil, false
	done := p.done
	go func() { p.err = cmd.Wait(); close(done) }()
	return nil
}

// stop ends the process group: SIGTERM, then SIGKILL after grace.
func (p *process) stop(grace time.Duration) error {
	if p.stopped {
		return nil
	}
	// The whole process group: servers that start helpers stop them too.
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
		return fmt.Errorf("%s did not stop within %s and was killed", p.name, grace)
	}
}

// Servers that StopServer and StartServer control.
const (
	Temporal  = "temporal"
	VersityGW = "versitygw"
)

// StopServer stops one server of the stack (Temporal or VersityGW) and
// keeps its port and data, so StartServer brings the same server back:
// how tests take a dependency away mid-run.
func (s *Stack) StopServer(name string) error {
	p, err := s.proc(name)
	if err != nil {
		return err
	}
	err = p.stop(10 * time.Second)
	p.stopped = true
	return err
}

// StartServer starts a server stopped by StopServer again, on the same
// port with the same data, and returns once it answers.
func (s *Stack) StartServer(ctx context.Context, name string) error {
	p, err := s.proc(name)
	if err != nil {
		return err
	}
	if !p.stopped {
		return fmt.Errorf("devstack: %s is running", name)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	// The old process may hold the port a moment longer.
	if err := retry(ctx, func() error { return nil }, func() error { return portFree(s.host(), s.port(name)) }); err != nil {
		return err
	}
	if err := p.start(); err != nil {
		return err
	}
	if name == VersityGW {
		return s.readyS3(ctx)
	}
	return s.readyTemporal(ctx)
}

func (s *Stack) proc(name string) (*process, error) {
	for _, p := range s.procs {
		if p.name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("devstack: no server %q in the stack", name)
}

func (s *Stack) host() string {
	h, _, _ := net.SplitHostPort(strings.TrimPrefix(s.S3Endpoint, "http://"))
	return h
}

func (s *Stack) port(name string) int {
	addr := s.TemporalAddress
	if name == VersityGW {
		addr = strings.TrimPrefix(s.S3Endpoint, "http://")
	}
	_, p, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (s *Stack) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := s.readyS3(ctx); err != nil {
		return err
	}
	if _, err := s.proc(Temporal); err != nil {
		return nil // S3Only
	}
	return s.readyTemporal(ctx)
}

// exited reports a server that ended while it should be starting.
func (s *Stack) exited() error {
	for _, p := range s.procs {
		if p.stopped {
			continue
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited during start-up: %v (see its log)", p.name, p.err)
		default:
		}
	}
	return nil
}

// readyS3 waits until the bucket exists and answers.
func (s *Stack) readyS3(ctx context.Context) error {
	st, err := store.New(ctx, store.Config{Endpoint: s.S3Endpoint, Region: "us-east-1", AccessKey: s.AccessKey, SecretKey: s.SecretKey, Bucket: s.Bucket})
	if err != nil {
		return err
	}
	if err := retry(ctx, s.exited, func() error { return st.EnsureBucket(ctx) }); err != nil {
		return fmt.Errorf("versitygw at %s did not become ready: %w", s.S3Endpoint, err)
	}
	return nil
}

// readyTemporal waits until the frontend answers a health check.
func (s *Stack) readyTemporal(ctx context.Context) error {
	err := retry(ctx, s.exited, func() error {
		c, err := client.DialContext(ctx, client.Options{HostPort: s.TemporalAddress, Logger: tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	})
	if err != nil {
		return fmt.Errorf("temporal dev server at %s did not become ready: %w", s.TemporalAddress, err)
	}
	return nil
}

func retry(ctx context.Context, exited func() error, f func() error) error {
	var last error
	for {
		if err := exited(); err != nil {
			return err
		}
		if last = f(); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Stop ends the servers: SIGTERM, then SIGKILL after ten seconds. Data
// stays in the state directory for the next start.
func (s *Stack) Stop() error {
	var wg sync.WaitGroup
	errs := make([]error, len(s.procs))
	for i, p := range s.procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.stop(10 * time.Second)
		}()
	}
	wg.Wait()
	s.procs = nil
	return errors.Join(errs...)
}
