package engine

import (
	"strings"
	"time"

	"github.com/anacrolix/torrent"

	"fairshare/engine/rtt"
)

// sampleTCP feeds the kernel's smoothed RTT of every TCP peer of t into
// the book. It is below BitTorrent, so it is there for third-party peers
// that do not answer our ping, and it does not include the peer's queue.
func (b *rttBook) sampleTCP(t *torrent.Torrent, now time.Time, lookup func(string) (time.Duration, bool)) {
	for _, pc := range t.PeerConns() {
		if !strings.HasPrefix(pc.Network, "tcp") {
			continue
		}
		if d, ok := lookup(pc.RemoteAddr.String()); ok && d > 0 {
			b.add(&pc.Peer, rtt.SourceTCP, now, d)
		}
	}
}
