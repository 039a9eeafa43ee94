# Fairshare build. Build tags: nosqlite keeps anacrolix's SQLite piece
# completion out (ours lives in bbolt); migrated_fynedo matches
# [Migrations] fyneDo in FyneApp.toml for plain go build/test.
GO      ?= go
TAGS    := nosqlite,migrated_fynedo
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/fairshare

.PHONY: all deps build run test check vet fmt-check test-race test-rest bench bench-swarm clean

all: build

deps: ## system packages for building and testing (Debian/Ubuntu)
	bash packaging/linux/deps.sh

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

run: deps build ## build and launch the desktop app
	./$(BIN)

test: deps check ## the whole test suite

check: fmt-check vet test-race test-rest

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -tags $(TAGS) ./...

# The engine and storage run under the race detector; the GUI and main
# package without (Fyne's GL driver is cgo and slow under -race).
test-race:
	$(GO) test -race -tags $(TAGS) -timeout 15m ./engine/... ./storage/...

test-rest:
	$(GO) test -tags $(TAGS) -timeout 10m ./app/... ./assets/... .

bench: ## speed figures: Go benchmarks
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 3x ./storage/ ./engine/... ./app/...

# Publisher swarm benchmark: separate publish/get processes on loopback,
# scenario A (2 MiB, 10 leechers, 100 KiB/s) and B (64 MiB, 8 leechers,
# 1 MiB/s source); writes docs/bench-swarm.{csv,md,png}. Takes ~20 min,
# mostly the client/server baselines. BENCH_GET_FLAGS passes flags to every
# get (e.g. BENCH_GET_FLAGS="--ratio 0"), BENCH_PUBLISH_FLAGS to publish,
# BENCH_SCENARIOS=A runs one scenario.
BENCH_SCENARIOS     ?= A,B
BENCH_GET_FLAGS     ?=
BENCH_PUBLISH_FLAGS ?=
bench-swarm:
	$(GO) build -tags $(TAGS) -o bin/benchswarm ./engine/publisher/benchswarm
	./bin/benchswarm -scenarios "$(BENCH_SCENARIOS)" -out docs -get-flags "$(BENCH_GET_FLAGS)" -publish-flags "$(BENCH_PUBLISH_FLAGS)"

clean:
	rm -rf bin dist
