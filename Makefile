# Pressroom. `make run` runs the demo on the local stack; `make test` runs
# every test against a real Temporal dev server and a real S3 server.
GO        ?= go
BIN       := $(CURDIR)/bin
# Tools the stack and the tests run, installed into ./bin when missing.
TEMPORAL_CLI_VERSION := v1.5.1
VERSITYGW_VERSION    := v1.8.0
# Linters `make check` runs beside go vet.
STATICCHECK_VERSION   := v0.8.2
WORKFLOWCHECK_VERSION := v0.6.0
export PRESSROOM_BIN_DIR := $(BIN)
# Real machine translation for the tests: Apertium from Debian's packages.
APERTIUM_PKGS := apertium-apy apertium-eng-spa apertium-eng-cat

# A real browser for the reader-page tests: Debian's Chromium.
# with a CJK font, so Chinese pages and screenshots show glyphs, not boxes.
BROWSER_PKGS := chromium fonts-wqy-microhei
# apt-get as root, or through sudo.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends

.PHONY: run test tools linters apertium browser build check fuzz unit integration bench clean histories

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

linters: $(BIN)/staticcheck $(BIN)/workflowcheck

$(BIN)/staticcheck:
	@echo "installing staticcheck $(STATICCHECK_VERSION) into bin/ (first time only)"
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(BIN)/workflowcheck:
	@echo "installing workflowcheck $(WORKFLOWCHECK_VERSION) into bin/ (first time only)"
	GOBIN=$(BIN) $(GO) install go.temporal.io/sdk/contrib/tools/workflowcheck@$(WORKFLOWCHECK_VERSION)

# Installs Apertium when it is missing (root, or sudo when available).
apertium:
	@if command -v apertium-apy >/dev/null 2>&1 && [ -f /usr/share/apertium/modes/eng-spa.mode ] && [ -f /usr/share/apertium/modes/eng-cat.mode ]; then :; else \
	  echo "installing Apertium from Debian: $(APERTIUM_PKGS)"; \
	  $(APT_INSTALL) $(APERTIUM_PKGS); \
	fi

# Installs Chromium when it is missing.
browser:
	@if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/wqy ]; then :; else \
	  echo "installing Chromium from Debian for the browser tests"; \
	  $(APT_INSTALL) $(BROWSER_PKGS); \
	fi

# Formatting, vet and the linters first: cheap, and they catch what review
# would. workflowcheck proves the workflow code deterministic.
check: linters
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(BIN)/staticcheck ./...
	$(BIN)/workflowcheck ./workflows/...

# Each fuzz target runs briefly on top of its seed corpus in testdata/fuzz:
# hostile input (intake, edits, XLIFF, TMX, the MT markup protection) must
# give an error, never a crash or a limit broken. FUZZTIME=1m for longer.
FUZZTIME ?= 5s
FUZZ_TARGETS := \
	./internal/report:FuzzParse \
	./internal/report:FuzzParseEdits \
	./internal/xliff:FuzzImport \
	./internal/tm:FuzzReadTMX \
	./internal/mt:FuzzMask
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

test: tools apertium browser check fuzz
	$(GO) test -race -count=1 -timeout 30m ./...

unit: check
	$(GO) test -race -count=1 -short ./...

integration: tools apertium browser
	$(GO) test -race -count=1 -timeout 30m ./integration/...

# Records the histories workflows/replay_test.go replays, from the real dev
# server with the workflow code in the tree: run after an intentional
# workflow change that no running workflow of the old code depends on.
histories: tools
	$(GO) test -tags histories -count=1 -timeout 10m -run '^TestRecordHistories$$' -v ./integration/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN) .pressroom
