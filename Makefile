# Fairshare build. Build tags: nosqlite keeps anacrolix's SQLite piece
# completion out (ours lives in bbolt); migrated_fynedo matches
# [Migrations] fyneDo in FyneApp.toml for plain go build/test.
GO      ?= go
TAGS    := nosqlite,migrated_fynedo
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/fairshare
DIST    := dist
# Packages ship stripped binaries (Go keeps its own symbol table for panics).
PKG_LDFLAGS := -s -w $(LDFLAGS)
WIN_ENV := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
# Windows wants a numeric a.b.c file version: the tag's, or 0.0.0 untagged.
WINVERSION := $(or $(shell echo $(VERSION) | sed -n 's/^v\{0,1\}\([0-9]*\.[0-9]*\.[0-9]*\).*/\1/p'),0.0.0)
GOWINRES := bin/tools/go-winres
# macOS wants x.y.z: the tag's, else FyneApp.toml's.
APPVERSION := $(if $(filter 0.0.0,$(WINVERSION)),$(shell sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml),$(WINVERSION))

.PHONY: all deps build run test check vet fmt-check test-race test-rest bench bench-rtt bench-fairness clean \
	package-linux check-package-linux package-windows check-package-windows package-darwin vet-cross bench-swarm

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
	$(GO) test -tags $(TAGS) -timeout 10m ./app/... ./assets/... ./packaging/... .

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

package-linux: ## .deb and tar.xz (Fyne's layout) in dist/linux
	$(GO) build -tags $(TAGS) -ldflags "$(PKG_LDFLAGS)" -o $(DIST)/linux/fairshare .
	bash packaging/linux/package.sh $(DIST)/linux/fairshare $(VERSION) $(DIST)/linux

# Validates the packages, installs the .deb (root) and opens magnet links
# through xdg-open under Xvfb; see the script for what it checks.
check-package-linux: package-linux
	bash packaging/linux/check.sh $(DIST)/linux $(VERSION)

# The icon and version resource go into rsrc_windows_amd64.syso, which
# go build links into the Windows binary only.
package-windows: ## fairshare.exe (GUI, icon, version) and the NSIS installer in dist/windows
	GOBIN=$(CURDIR)/bin/tools $(GO) install github.com/tc-hib/go-winres@v0.3.3
	$(GOWINRES) simply --arch amd64 --manifest gui --icon assets/icon.png --out rsrc \
		--product-name Fairshare --file-description "Fairshare BitTorrent client" \
		--original-filename fairshare.exe --copyright "Fairshare developers" \
		--product-version $(VERSION) --file-version $(WINVERSION)
	$(WIN_ENV) $(GO) build -tags $(TAGS) -ldflags "-H=windowsgui $(PKG_LDFLAGS)" -o $(DIST)/windows/fairshare.exe .
	makensis -V2 -DVERSION=$(VERSION) -DWINVERSION=$(WINVERSION) -DEXE=$(abspath $(DIST))/windows/fairshare.exe \
		-DOUTFILE=$(abspath $(DIST))/windows/fairshare-$(VERSION)-windows-amd64-installer.exe packaging/windows/fairshare.nsi

check-package-windows: package-windows
	$(GO) run ./packaging/windows/pecheck $(DIST)/windows/fairshare.exe $(VERSION)
	$(GO) run ./packaging/windows/pecheck -installer $(DIST)/windows/fairshare-$(VERSION)-windows-amd64-installer.exe $(VERSION)

# The OS-specific Go code vets for the other desktops. Windows needs the
# mingw cgo build (cached by package-windows); darwin is vetted without cgo,
# which covers the packages whose Go side builds without the macOS SDK.
vet-cross:
	$(WIN_ENV) $(GO) vet -tags $(TAGS) ./...
	GOOS=darwin $(GO) vet ./app/defaulthandler ./app/urlevent ./packaging/...

# Run on a Mac; see packaging/darwin/README.md.
package-darwin: ## Fairshare.app in dist/darwin (macOS only)
	bash packaging/darwin/package.sh $(VERSION) $(APPVERSION) $(DIST)/darwin

# Publisher swarm benchmark: separate publish/get processes on loopback,
# scenario A (2 MiB, 10 leechers, 100 KiB/s) and B (64 MiB, 8 leechers,
# 1 MiB/s source), plus 3 late joiners at T*/2 whose time to first piece
# and completion count from their own start. Each P2P run happens twice,
# active source on (publish default) then --active-source=false; the
# client/server baseline once per scenario. Writes
# docs/bench-swarm.{csv,md,png}. Takes ~25 min, mostly the client/server
# baselines. BENCH_GET_FLAGS passes flags to every get (e.g.
# BENCH_GET_FLAGS="--ratio 0"), BENCH_PUBLISH_FLAGS to publish,
# BENCH_SCENARIOS=A runs one scenario, BENCH_FLAGS to benchswarm itself
# (e.g. BENCH_FLAGS="-baseline=false -late 5 -late-at 8").
BENCH_SCENARIOS     ?= A,B
BENCH_GET_FLAGS     ?=
BENCH_PUBLISH_FLAGS ?=
BENCH_FLAGS         ?=
bench-swarm:
	$(GO) build -tags $(TAGS) -o bin/benchswarm ./engine/publisher/benchswarm
	./bin/benchswarm -scenarios "$(BENCH_SCENARIOS)" -out docs -get-flags "$(BENCH_GET_FLAGS)" -publish-flags "$(BENCH_PUBLISH_FLAGS)" $(BENCH_FLAGS)

clean:
	rm -rf bin dist rsrc_windows_amd64.syso
