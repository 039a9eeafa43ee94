package engine

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// WebSeedPeerIDHeader carries our peer ID on web seed requests, so a
// Fairshare publisher can tell its downloaders apart behind one IP and
// match HTTP clients to its peer connections (see publisher.PeerIDHeader).
const WebSeedPeerIDHeader = "X-Fairshare-Peer-Id"

// newPeerID makes a BEP 20 peer ID: prefix, then random bytes. anacrolix
// would make one too, but the web seed header needs it before the client
// exists.
func newPeerID(prefix string) (id [20]byte) {
	n := copy(id[:], prefix)
	rand.Read(id[n:])
	return id
}

// peerIDTransport adds WebSeedPeerIDHeader to every anacrolix HTTP request
// (web seeds and .torrent sources; trackers use their own client).
type peerIDTransport struct {
	base http.RoundTripper
	id   string
}

func (t peerIDTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(WebSeedPeerIDHeader, t.id)
	return t.base.RoundTrip(r)
}

// webTransport is anacrolix's default web seed transport plus the header.
func webTransport(id [20]byte) http.RoundTripper {
	// MaxConnsPerHost as anacrolix's own default (client.go).
	return peerIDTransport{base: &http.Transport{MaxConnsPerHost: 10}, id: hex.EncodeToString(id[:])}
}
