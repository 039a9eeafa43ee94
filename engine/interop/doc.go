// Package interop holds tests that run Fairshare against independent
// BitTorrent implementations, so that wire compatibility is checked with
// something other than anacrolix/torrent talking to itself.
//
// The peer used is libtorrent-rasterbar through Debian's python3-libtorrent
// package, driven by testdata/lt_peer.py. The Fairshare side is the real
// CLI (engine/cli), run as a child process: the test binary re-executes
// itself with FAIRSHARE_CLI_CHILD=1 and the arguments as a JSON array in
// FAIRSHARE_CLI_ARGS.
//
// Everything listens and connects on 127.0.0.1 only: no DHT, no local
// service discovery, no UPnP or NAT-PMP on either side.
//
// Without python3-libtorrent the tests skip, except under CI=true, where
// they fail: CI installs the package (apt-get install python3-libtorrent).
package interop
