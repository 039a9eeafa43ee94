package engine

import (
	"sync"
	"time"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/metainfo"
	"golang.org/x/time/rate"

	"fairshare/engine/fairness"
)

// The download cap (s.down) is not anacrolix's DownloadRateLimiter (see
// tcp_peers.go), so each way data comes in is put under it here.
//
// anacrolix's limiter (s.gate) still exists because it is the only way to
// slow WebRTC peers: anacrolix reads every peer connection, ours included,
// through it, and opens no connection while it is out of tokens. So it
// runs a little faster than the cap with a bucket larger than the cap's:
// TCP data, already paced by s.down, never empties it, and connections
// are refused only while WebRTC peers alone fill the cap. Web seeds do not
// go through it at all.
const (
	gateHeadroom = 1.05
	gateSlack    = 1 << 20 // handshake allowances and rounding
)

var gateMu sync.Mutex

// newGate returns anacrolix's download limiter for a cap of kib KiB/s,
// its bucket full.
func newGate(kib int64, down *rate.Limiter) *rate.Limiter {
	return rate.NewLimiter(gateLimit(kib), gateBurst(down))
}

// setGate follows a cap change; down must already have the new cap.
func setGate(l *rate.Limiter, kib int64, down *rate.Limiter) {
	gateMu.Lock()
	defer gateMu.Unlock()
	now := time.Now()
	l.SetBurstAt(now, gateBurst(down)) // burst first, as fairness.SetLimit does
	l.SetLimitAt(now, gateLimit(kib))
}

func gateLimit(kib int64) rate.Limit {
	if kib <= 0 {
		return rate.Inf
	}
	return rate.Limit(float64(kib) * 1024 * gateHeadroom)
}

// gateBurst holds twice the cap's bucket, so the cap's burst plus the
// reads in flight never empty it.
func gateBurst(down *rate.Limiter) int { return 2*down.Burst() + gateSlack }

// setDownCap applies a download cap of kib KiB/s (≤ 0 unlimited) to the
// cap and to anacrolix's limiter.
func (s *Session) setDownCap(kib int64) {
	fairness.SetLimit(s.down, kib)
	setGate(s.gate, kib, s.down)
}

// addWebSeeds adds urls to t with their response bodies read through the
// download cap. Every web seed must come through here: one added through
// a TorrentSpec or by anacrolix itself would use its unlimited limiter.
func (s *Session) addWebSeeds(t *torrent.Torrent, urls []string) {
	if len(urls) > 0 {
		t.AddWebSeeds(urls, torrent.WebSeedResponseBodyRateLimiter(s.down))
	}
}

// mergeFetchedMetainfo is anacrolix's MetainfoSourcesMerger (a .torrent
// fetched from a magnet's xs= URL) with the file's web seeds (url-list)
// added under the cap.
func (s *Session) mergeFetchedMetainfo(t *torrent.Torrent, mi *metainfo.MetaInfo) error {
	spec, err := torrent.TorrentSpecFromMetaInfoErr(mi)
	if err != nil {
		return err
	}
	webSeeds := spec.Webseeds
	spec.Webseeds = nil
	if err := t.MergeSpec(spec); err != nil {
		return err
	}
	s.addWebSeeds(t, webSeeds)
	return nil
}

// chargeWebRTC counts data from WebRTC peers against the download cap.
// anacrolix reads them through its own limiter (s.gate, 5 % over the cap)
// and offers no hook to wrap their connections; charging their bytes to
// s.down makes TCP peers and web seeds yield the bandwidth, which keeps
// the total at the cap. The debt is bounded at one burst, so WebRTC peers
// filling the cap stall the others without leaving a debt that outlasts
// them. It runs under the client lock and takes only the limiter's own.
func (s *Session) chargeWebRTC(e torrent.ReceivedUsefulDataEvent) {
	if e.Peer == nil || e.Message == nil || e.Peer.Network != "webrtc" {
		return
	}
	n := len(e.Message.Piece)
	if n == 0 || n > s.down.Burst() || s.down.Tokens() < -float64(s.down.Burst()) {
		return
	}
	s.down.ReserveN(time.Now(), n)
}
