package engine

import (
	"time"

	"github.com/anacrolix/torrent"
	pp "github.com/anacrolix/torrent/peer_protocol"

	"fairshare/engine/rtt"
)

// chunkKey names a block within the torrent.
type chunkKey struct{ index, begin pp.Integer }

// requestProbe times one request per idle spell of a peer: only a request
// sent while nothing else was outstanding to that peer is timed, so the
// sample is not inflated by our own pipelining. The peer's own queue for
// other peers and its disk are still in it, which is why the source is
// labelled "request" and shown as its windowed minimum.
type requestProbe struct {
	inFlight int
	active   bool
	probe    chunkKey
	sent     time.Time
}

func (b *rttBook) onSentRequest(ev torrent.PeerRequestEvent) {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.peers[ev.Peer]
	if st == nil {
		return
	}
	r := &st.requests
	if r.inFlight == 0 && !r.active {
		r.active, r.probe, r.sent = true, chunkKey{ev.Index, ev.Begin}, now
	}
	r.inFlight++
}

func (b *rttBook) onReceivedRequested(ev torrent.PeerMessageEvent) {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.peers[ev.Peer]
	if st == nil {
		return
	}
	r := &st.requests
	if r.active && r.probe == (chunkKey{ev.Message.Index, ev.Message.Begin}) {
		st.estimator(rtt.SourceRequest).Add(now, now.Sub(r.sent))
		r.active = false
	}
}

// onDeletedRequest runs for every request that stops being outstanding:
// answered, cancelled, rejected or lost with the connection.
func (b *rttBook) onDeletedRequest(ev torrent.PeerRequestEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.peers[ev.Peer]
	if st == nil {
		return
	}
	r := &st.requests
	if r.inFlight > 0 {
		r.inFlight--
	}
	if r.active && r.probe == (chunkKey{ev.Index, ev.Begin}) {
		r.active = false
	}
}
