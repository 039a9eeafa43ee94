package engine

import (
	"time"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/metainfo"
)

// The download cap (s.down) is not anacrolix's DownloadRateLimiter (see
// tcp_peers.go), so each way data comes in is put under it here.

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
// anacrolix reads them through its own (unlimited) limiter and offers no
// hook to wrap their connections, so they cannot be slowed; charging
// their bytes makes TCP peers and web seeds yield the bandwidth instead,
// which keeps the total at the cap while WebRTC alone stays under it. The
// debt is bounded at one burst, so a WebRTC peer faster than the cap
// stalls the others without leaving a debt that outlasts it. It runs
// under the client lock and takes only the limiter's own.
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
