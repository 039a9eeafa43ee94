#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Fairshare needs to build (Fyne's cgo
# GL/X11 headers) and to run its whole test suite (Xvfb for the GUI
# screenshot test, libtorrent for interop tests, Chromium, iproute2 and
# npm's WebTorrent bundle for the WebRTC interop tests) and its packages
# (.deb, tar.xz, the Windows exe and installer). Installs only what is
# missing, so it is cheap to run before every build.
set -euo pipefail

packages=(
  gcc pkg-config
  libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  xvfb x11-apps netpbm libgl1-mesa-dri
  python3 python3-libtorrent
  chromium
  # packaging (make package-linux, package-windows and their checks)
  desktop-file-utils appstream xdg-utils xz-utils iproute2 util-linux
  gcc-mingw-w64-x86-64 nsis
)
# npm fetches the WebTorrent bundle (webtorrent.sh); a machine with Node
# from elsewhere already has it.
command -v npm >/dev/null || packages+=(npm)

# webtorrent.sh runs last, once npm is there; it does nothing when the
# pinned bundle is already cached.
webtorrent() { bash "$(dirname "${BASH_SOURCE[0]}")/webtorrent.sh"; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { webtorrent; exit 0; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps.sh: run as root or install sudo to add: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
webtorrent
