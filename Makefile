# Pressroom. `make run` runs the demo on the local stack; `make test` runs
# every test against a real Temporal dev server and a real S3 server.
GO        ?= go
BIN       := $(CURDIR)/bin
# Tools the stack and the tests run, installed into ./bin when missing.
TEMPORAL_CLI_VERSION := v1.5.1
VERSITYGW_VERSION    := v1.8.0
export PRESSROOM_BIN_DIR := $(BIN)

.PHONY: run test tools build check unit integration bench clean

run: tools build
	$(BIN)/pressroom demo

build:
	$(GO) build -o $(BIN)/pressroom ./cmd/pressroom

tools: $(BIN)/temporal $(BIN)/versitygw

$(BIN)/temporal:
	@echo "installing the Temporal CLI $(TEMPORAL_CLI_VERSION) into bin/ (first time only, a few minutes)"
	GOBIN=$(BIN) $(GO) install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)

$(BIN)/versitygw:
	@echo "installing versitygw $(VERSITYGW_VERSION) into bin/ (first time only)"
	GOBIN=$(BIN) $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

# Formatting and vet first: cheap, and they catch what review would.
check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test: tools check
	$(GO) test -race -count=1 -timeout 30m ./...

unit: check
	$(GO) test -race -count=1 -short ./...

integration: tools
	$(GO) test -race -count=1 -timeout 30m ./integration/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN) .pressroom
