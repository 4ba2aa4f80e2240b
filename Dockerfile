# syntax=docker/dockerfile:1

# Pressroom: one static binary (pressroom worker | serve | ...), see
# docker-compose.yml for the production stack.

# Build on the builder's own platform and cross-compile (no emulation).
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -buildvcs=false -ldflags="-s -w" -o /out/pressroom ./cmd/pressroom

# distroless/static: CA certificates and tzdata, no shell, runs as nonroot.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pressroom /usr/local/bin/pressroom
USER nonroot:nonroot
EXPOSE 8088
ENTRYPOINT ["/usr/local/bin/pressroom"]
