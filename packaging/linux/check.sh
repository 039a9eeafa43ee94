#!/usr/bin/env bash
# Checks the Linux packages end to end (CI runs it as root on a throwaway
# machine):  check.sh DIR VERSION  (DIR as written by package.sh)
#  - the packaged .desktop passes desktop-file-validate and claims magnet
#    links and .torrent files with "Exec=fairshare %u";
#  - the AppStream metainfo passes appstreamcli validate;
#  - the tarball has Fyne's layout;
#  - dpkg -i installs the .deb and the installed fairshare prints VERSION;
#  - with fresh XDG dirs, xdg-open on a magnet link starts Fairshare (under
#    Xvfb) which adds it, and a second xdg-open hands its link to the
#    running instance; both end up in the state file. This part runs in
#    a network namespace it creates (root).
# The package is removed again at the end unless KEEP_INSTALLED=1.
set -euo pipefail
dir=$1 version=$2
deb=$(echo "$dir"/fairshare_*_amd64.deb) tarxz=$dir/fairshare-$version-linux-amd64.tar.xz
fail() { echo "check.sh: $*" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  [ "${KEEP_INSTALLED:-0}" = 1 ] || dpkg --purge fairshare >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== package contents"
dpkg-deb -x "$deb" "$work/deb"
desktop=$work/deb/usr/share/applications/fairshare.desktop
# desktop-file-validate exits 0 on warnings and hints: any output fails.
out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ] || fail "desktop entry in the .deb: $out"
grep -qx 'Exec=fairshare %u' "$desktop" || fail "desktop entry lacks 'Exec=fairshare %u'"
grep -qx 'MimeType=x-scheme-handler/magnet;application/x-bittorrent;' "$desktop" || fail "desktop entry lacks the MimeType line"
appstreamcli validate --no-net "$work/deb/usr/share/metainfo/org.fairshare.app.metainfo.xml" ||
  fail "AppStream metainfo is invalid"
test -s "$work/deb/usr/share/icons/hicolor/512x512/apps/fairshare.png" || fail "no icon in the .deb"

mkdir "$work/tar"
tar -xJf "$tarxz" -C "$work/tar"
for f in Makefile usr/local/bin/fairshare usr/local/share/applications/fairshare.desktop \
  usr/local/share/pixmaps/fairshare.png usr/local/share/metainfo/org.fairshare.app.metainfo.xml; do
  test -e "$work/tar/fairshare/$f" || fail "tarball lacks fairshare/$f"
done
out=$(desktop-file-validate "$work/tar/fairshare/usr/local/share/applications/fairshare.desktop" 2>&1) && [ -z "$out" ] ||
  fail "desktop entry in the tarball: $out"
make -s -C "$work/tar/fairshare" install DESTDIR="$work/tarinst" PREFIX=/usr >/dev/null
test -x "$work/tarinst/usr/bin/fairshare" || fail "the tarball's make install did not install the binary"

echo "== dpkg -i"
dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed"
got=$(fairshare --version) || fail "installed fairshare --version failed"
[ "$got" = "fairshare $version" ] || fail "installed fairshare --version printed '$got', want 'fairshare $version'"
echo "$got"

echo "== magnet handler"
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
export FAIRSHARE_HOME=$work/home/fairshare LANG=${LANG:-C.UTF-8}
unset XDG_CURRENT_DESKTOP DESKTOP_SESSION XDG_RUNTIME_DIR
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
handler=$(xdg-mime query default x-scheme-handler/magnet)
[ "$handler" = fairshare.desktop ] || fail "after dpkg -i the magnet handler is '$handler', want fairshare.desktop"
echo "x-scheme-handler/magnet -> $handler"

command -v xvfb-run >/dev/null || { echo "no xvfb-run: skipping xdg-open"; exit 0; }
echo "== xdg-open magnet under Xvfb"
h1=0123456789abcdef0123456789abcdef01234567
h2=76543210fedcba9876543210fedcba9876543210
# The first xdg-open starts the GUI, which keeps running; the second one
# must reach it through the single-instance socket and return.
# In a network namespace of its own, so Fairshare's default listen port
# cannot clash with anything else on the machine.
unshare -n bash -c 'ip link set lo up; exec "$@"' - xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  setsid xdg-open "magnet:?xt=urn:btih:'$h1'&dn=first" &
  first=$!
  for i in $(seq 1 600); do [ -S "$FAIRSHARE_HOME/fairshare.sock" ] && break; sleep 0.1; done
  [ -S "$FAIRSHARE_HOME/fairshare.sock" ] || { echo "Fairshare did not start" >&2; exit 1; }
  timeout 30 xdg-open "magnet:?xt=urn:btih:'$h2'&dn=second" || { echo "second xdg-open failed" >&2; exit 1; }
  sleep 5 # the running app adds in the background (a local bbolt write); the
           # state file stays locked until it exits, so there is nothing to poll
  kill -- -$first; wait $first || true
' >"$work/xvfb.log" 2>&1 || { cat "$work/xvfb.log"; fail "xdg-open did not reach Fairshare"; }
list=$(fairshare list --home "$FAIRSHARE_HOME")
echo "$list"
grep -q "$h1" <<<"$list" || fail "the first magnet (started the app) was not added"
grep -q "$h2" <<<"$list" || fail "the second magnet (forwarded) was not added"
echo "check.sh: Linux packages OK"
