// Package deploy exists to hold deployment checks: tests that load the
// repository's docker-compose.yml with the Compose Specification's own loader
// and verify, without Docker, that the stack is wired together correctly
// (service names, ports, health-gated start order, credentials, bucket,
// search attributes) and that the Dockerfile builds ./cmd/pressroom.
//
// It contains no production code.
package deploy
