#!/usr/bin/env bash
# Builds the Linux packages from an already built binary:
#   package.sh BINARY VERSION OUTDIR
# writes OUTDIR/fairshare_<debversion>_amd64.deb and
# OUTDIR/fairshare-<version>-linux-amd64.tar.xz. The tarball has the layout
# `fyne package -os linux` produces (a folder with a Makefile and usr/local/),
# built here by hand because the deprecated fyne CLI ignores [CanOpen]
# (no MimeType=) and writes Exec=fairshare%u without the space.
set -euo pipefail
bin=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/fairshare_*.deb "$out"/fairshare-*-linux-amd64.tar.xz # check.sh expects one of each

# debversion turns git describe output into a Debian version: v1.2.3-4-gabc
# becomes 1.2.3+4+gabc; a bare commit hash (no tags yet) becomes 0~gitHASH.
debversion() {
  local v=${1#v}
  if [[ $v =~ ^[0-9] ]]; then echo "${v//-/+}"; else echo "0~git${v//-/+}"; fi
}

# stage PREFIX DIR lays out the files every package carries under DIR/PREFIX.
stage() {
  local root=$1/$2
  install -Dm0755 "$bin" "$root/bin/fairshare"
  install -Dm0644 "$here/fairshare.desktop" "$root/share/applications/fairshare.desktop"
  install -Dm0644 "$here/../../assets/icon.png" "$root/share/icons/hicolor/512x512/apps/fairshare.png"
  sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%F)/" "$here/org.fairshare.app.metainfo.xml" |
    install -Dm0644 /dev/stdin "$root/share/metainfo/org.fairshare.app.metainfo.xml"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# .deb: /usr prefix, control file and maintainer scripts from debian/.
deb=$work/deb
stage "$deb" usr
mkdir -p "$deb/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$deb" | cut -f1)
sed -e "s/@DEBVERSION@/$(debversion "$version")/" -e "s/@SIZE@/$size/" "$here/debian/control" >"$deb/DEBIAN/control"
install -m0755 "$here/debian/postinst" "$here/debian/postrm" "$deb/DEBIAN/"
debfile=$out/fairshare_$(debversion "$version")_amd64.deb
# xz -3 rather than the default -6: 9% bigger, about 3x faster on CI.
dpkg-deb --root-owner-group -Zxz -z3 --build "$deb" "$debfile" >/dev/null

# tar.xz: Fyne's layout, with the pixmaps icon Fyne's Makefile expects.
tarroot=$work/tar/fairshare
stage "$tarroot" usr/local
install -Dm0644 "$here/../../assets/icon.png" "$tarroot/usr/local/share/pixmaps/fairshare.png"
install -m0644 "$here/Makefile.tarball" "$tarroot/Makefile"
tarfile=$out/fairshare-$version-linux-amd64.tar.xz
XZ_OPT="-3 -T0" tar --owner=0 --group=0 -cJf "$tarfile" -C "$work/tar" fairshare

ls -l "$debfile" "$tarfile"
