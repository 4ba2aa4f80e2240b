// Package integration runs Pressroom end to end against real parts: the
// Temporal dev server from the `temporal` CLI, versitygw as the S3 server,
// and the pressroom binary itself as worker and command line. `make test`
// installs the tools into ./bin; under CI=true a missing tool fails the
// run instead of skipping it.
package integration
