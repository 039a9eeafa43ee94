package engine

import (
	"net"
	"strconv"
	"time"

	"github.com/anacrolix/torrent"
	"github.com/pion/webrtc/v4"

	"fairshare/engine/rtt"
)

// iceRTTs turns the WebRTC stats anacrolix keeps (per tracker URL, per
// offer id) into the current round-trip time of each connection's
// candidate pair, keyed by the remote candidate's IP:port, which is what
// a WebRTC Peer's RemoteAddr prints. A nominated pair wins over others to
// the same remote; pairs without a measurement are skipped.
func iceRTTs[R ~map[string]webrtc.StatsReport](byTracker map[string]R) map[string]time.Duration {
	out := make(map[string]time.Duration)
	nominated := make(map[string]bool)
	for _, reports := range byTracker {
		for _, report := range reports {
			for _, s := range report {
				pair, ok := s.(webrtc.ICECandidatePairStats)
				if !ok || !(pair.CurrentRoundTripTime > 0) {
					continue
				}
				remote, ok := report[pair.RemoteCandidateID].(webrtc.ICECandidateStats)
				if !ok || remote.IP == "" {
					continue
				}
				addr := net.JoinHostPort(remote.IP, strconv.Itoa(int(remote.Port)))
				if nominated[addr] && !pair.Nominated {
					continue
				}
				out[addr] = time.Duration(pair.CurrentRoundTripTime * float64(time.Second))
				nominated[addr] = nominated[addr] || pair.Nominated
			}
		}
	}
	return out
}

// sampleICE feeds the ICE round trip of every WebRTC peer of t into the
// book. GetWebRtcPeerConnStats is client-wide, so one call per torrent
// sees other torrents' pairs too; the address match keeps them apart.
func (b *rttBook) sampleICE(t *torrent.Torrent, now time.Time) {
	var webrtcPeers []*torrent.PeerConn
	for _, pc := range t.PeerConns() {
		if pc.Network == "webrtc" {
			webrtcPeers = append(webrtcPeers, pc)
		}
	}
	if len(webrtcPeers) == 0 {
		return
	}
	rtts := iceRTTs(t.GetWebRtcPeerConnStats())
	for _, pc := range webrtcPeers {
		if d, ok := rtts[pc.RemoteAddr.String()]; ok {
			b.add(&pc.Peer, rtt.SourceICE, now, d)
		}
	}
}
