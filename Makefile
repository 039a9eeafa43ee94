# Fairshare build. Build tags: nosqlite keeps anacrolix's SQLite piece
# completion out (ours lives in bbolt); migrated_fynedo matches
# [Migrations] fyneDo in FyneApp.toml for plain go build/test.
GO      ?= go
TAGS    := nosqlite,migrated_fynedo
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/fairshare

.PHONY: all deps build run test check vet fmt-check test-race test-rest bench bench-rtt bench-fairness clean

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

bench: bench-rtt bench-fairness ## speed figures: Go benchmarks
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -skip 'BenchmarkFairnessSwarm|BenchmarkRTTSelection' -benchtime 3x ./storage/ ./engine/... ./app/...

# Six-node swarm (publisher + 5 leechers, 16 MiB) with fairness on and off,
# three runs each inside one iteration; prints medians. About 4 minutes.
bench-fairness:
	$(GO) test -tags $(TAGS) -run '^$$' -bench BenchmarkFairnessSwarm -benchtime 1x -timeout 20m -v ./engine/

# RTT-aware peer selection on vs off in a loopback swarm with 2-200 ms of
# added RTT (5 runs each, medians in the log); takes a few minutes.
bench-rtt:
	FAIRSHARE_BENCH_RTT=1 $(GO) test -tags $(TAGS) -run '^$$' -bench '^BenchmarkRTTSelection$$' -benchtime 1x -timeout 30m -v ./engine/

clean:
	rm -rf bin dist
