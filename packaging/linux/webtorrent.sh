#!/usr/bin/env bash
# Installs the WebTorrent browser bundle that the WebRTC interop tests load
# into headless Chromium (engine/interop/webtorrent_test.go). Idempotent:
# does nothing when the pinned version is already in the cache.
#
# --ignore-scripts: a dependency's preinstall hook (ip-set: "npx
# only-allow pnpm") fails under npm, and the browser bundle needs no
# install scripts.
set -euo pipefail

version="${WEBTORRENT_VERSION:-2.8.5}"
cache="${FAIRSHARE_TEST_CACHE:-$HOME/.cache/fairshare-test}"
dir="$cache/webtorrent-$version"
bundle="$dir/node_modules/webtorrent/dist/webtorrent.min.js"

[ -f "$bundle" ] && exit 0
command -v npm >/dev/null || { echo "webtorrent.sh: npm is missing: apt-get install npm" >&2; exit 1; }
echo "webtorrent.sh: installing webtorrent@$version into $dir"
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.webtorrent-$version.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --ignore-scripts --no-audit --no-fund --loglevel=error "webtorrent@$version" >/dev/null
[ -f "$tmp/node_modules/webtorrent/dist/webtorrent.min.js" ] || { echo "webtorrent.sh: webtorrent@$version has no dist/webtorrent.min.js" >&2; exit 1; }
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
