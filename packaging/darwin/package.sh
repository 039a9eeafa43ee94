#!/usr/bin/env bash
# Builds Fairshare.app on a Mac (see README.md):  package.sh VERSION APPVERSION OUTDIR
# VERSION is git describe's (shown in About and --version); APPVERSION the
# x.y.z macOS wants in CFBundleShortVersionString.
# Set SIGN_IDENTITY ("Developer ID Application: …") to sign with the
# hardened runtime; without it the app is ad-hoc signed (runs on this Mac).
set -euo pipefail
version=$1 appversion=$2 out=$3
[ "$(uname -s)" = Darwin ] || { echo "package.sh: needs macOS with Xcode command line tools (cgo, Cocoa)" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"

# The fyne CLI the module proxy serves (the deprecated one in fyne v2).
command -v fyne >/dev/null || go install fyne.io/fyne/v2/cmd/fyne@v2.7.1
fyne=$(command -v fyne || echo "$(go env GOPATH)/bin/fyne")

# Build first, so -ldflags carries the version; fyne package then only
# wraps the binary (it skips building when -executable exists).
CGO_ENABLED=1 go build -tags nosqlite,migrated_fynedo -ldflags "-s -w -X main.version=$version" -o "$out/fairshare" .
rm -rf "$out/Fairshare.app"
(cd "$out" && "$fyne" package -os darwin -executable fairshare -name Fairshare \
  -icon "$root/assets/icon.png" -appID org.fairshare.app -appVersion "$appversion" -appBuild 1)
rm "$out/fairshare"

# fyne package writes no CFBundleURLTypes (FyneApp.toml cannot ask for it).
go run ./packaging/darwin/infoplist "$out/Fairshare.app/Contents/Info.plist"
plutil -lint "$out/Fairshare.app/Contents/Info.plist"

# Editing Info.plist broke fyne's signature: sign again.
codesign --force --deep --options runtime --sign "${SIGN_IDENTITY:--}" "$out/Fairshare.app"
codesign --verify --strict "$out/Fairshare.app"

# Let LaunchServices know about the magnet: scheme right away.
/System/Library/Frameworks/CoreServices.framework/Frameworks/LaunchServices.framework/Support/lsregister -f "$out/Fairshare.app" || true
echo "built $out/Fairshare.app"
