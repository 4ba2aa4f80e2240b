package activities

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// maxParallelRequests bounds the object-store requests one eachParallel
// has in flight at once: enough to hide a store's round-trip time behind
// the others (the 36 objects of a release in six locales go in one
// round), few enough not to flood a small store. The store keeps 64 idle
// connections.
const maxParallelRequests = 40

// eachParallel runs fn(ctx, i) for i in [0, n), at most
// maxParallelRequests at a time. The first error cancels the context the
// others run with and is returned once all have stopped; nothing runs
// after fn has failed that was not already running.
func eachParallel(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(maxParallelRequests)
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error { return fn(ctx, i) })
	}
	return g.Wait()
}
