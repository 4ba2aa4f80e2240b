package app

import (
	"context"
	"slices"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/store"
)

// Process is what a Pressroom process runs on: the Temporal client, the
// object store and, when asked for, a worker. `worker`, `serve`, `dev`
// and the client commands all build it with Start and end it with one
// Close, so they connect the same way and stop in the same order.
type Process struct {
	Config config.Config
	Obs    Observability
	Client client.Client
	Store  *store.Store
	// Worker runs every workflow and activity on Config.TaskQueue; nil
	// unless Parts.Worker.
	Worker worker.Worker

	mu      sync.Mutex
	closers []func()
}

// Parts are the optional parts of a Process.
type Parts struct {
	Worker bool
}

// Start connects to Temporal and the store and, with parts.Worker,
// starts a worker (making sure the bucket and the search attributes
// exist). On error, what was built is closed again. The Process owns obs
// from here: Close flushes its traces.
func Start(ctx context.Context, cfg config.Config, obs Observability, parts Parts) (*Process, error) {
	p := &Process{Config: cfg, Obs: obs}
	p.OnClose(obs.Shutdown)
	var err error
	if p.Client, err = DialObserved(ctx, cfg, obs); err != nil {
		p.Close()
		return nil, err
	}
	p.OnClose(p.Client.Close)
	if p.Store, err = OpenStore(ctx, cfg); err != nil {
		p.Close()
		return nil, err
	}
	if parts.Worker {
		if p.Worker, err = startWorker(ctx, cfg, p.Client, p.Store, obs); err != nil {
			p.Close()
			return nil, err
		}
		// Stopped first: in-flight tasks finish while the client is up.
		p.OnClose(p.Worker.Stop)
	}
	return p, nil
}

// OnClose adds f to what Close does; the last added runs first, so a
// server started on the Process stops before the worker and the client.
func (p *Process) OnClose(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closers = append(p.closers, f)
}

// Close stops everything in reverse order of start; a second Close does
// nothing.
func (p *Process) Close() {
	p.mu.Lock()
	closers := p.closers
	p.closers = nil
	p.mu.Unlock()
	for _, f := range slices.Backward(closers) {
		f()
	}
}

// Shutdown flushes the spans still buffered, within a few seconds.
func (o Observability) Shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.Tracing.Shutdown(ctx); err != nil && o.Log != nil {
		o.Log.Warn("flushing traces", "error", err)
	}
}
