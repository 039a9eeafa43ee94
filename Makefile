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

.PHONY: all deps build run test check vet fmt-check test-race test-rest bench clean \
	package-linux check-package-linux package-windows check-package-windows package-darwin

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

package-linux: ## .deb and tar.xz (Fyne's layout) in dist/linux
	$(GO) build -tags $(TAGS) -ldflags "$(PKG_LDFLAGS)" -o $(DIST)/linux/fairshare .
	bash packaging/linux/package.sh $(DIST)/linux/fairshare $(VERSION) $(DIST)/linux

# Validates the packages, installs the .deb (root) and opens magnet links
# through xdg-open under Xvfb; see the script for what it checks.
check-package-linux: package-linux
	bash packaging/linux/check.sh $(DIST)/linux $(VERSION)

clean:
	rm -rf bin dist
