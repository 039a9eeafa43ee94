package engine

import (
	"testing"

	"github.com/anacrolix/torrent"
	pp "github.com/anacrolix/torrent/peer_protocol"

	"fairshare/engine/fairness"
)

// TestChargeWebRTC: WebRTC payload is charged to the download cap, other
// peers' is not (their sockets already pay), and the debt stops at one
// burst.
func TestChargeWebRTC(t *testing.T) {
	s := &Session{down: fairness.NewLimiter(64)} // 64 KiB/s, 256 KiB burst
	chunk := &pp.Message{Type: pp.Piece, Piece: make([]byte, 16<<10)}
	tokens := func() float64 { return s.down.Tokens() }

	start := tokens()
	s.chargeWebRTC(torrent.ReceivedUsefulDataEvent{Peer: &torrent.Peer{Network: "tcp4"}, Message: chunk})
	if got := start - tokens(); got > 1024 {
		t.Errorf("a TCP chunk took %.0f tokens; TCP sockets pay for themselves", got)
	}
	start = tokens()
	s.chargeWebRTC(torrent.ReceivedUsefulDataEvent{Peer: &torrent.Peer{Network: "webrtc"}, Message: chunk})
	if got := start - tokens(); got < 16<<10-1024 || got > 16<<10+1024 {
		t.Errorf("a WebRTC chunk took %.0f tokens, want ≈ %d", got, 16<<10)
	}
	for range 100 { // 1.6 MiB: far past the burst
		s.chargeWebRTC(torrent.ReceivedUsefulDataEvent{Peer: &torrent.Peer{Network: "webrtc"}, Message: chunk})
	}
	burst := float64(s.down.Burst())
	if got := tokens(); got < -burst-float64(16<<10)-1024 {
		t.Errorf("debt %.0f after a WebRTC flood, want it bounded near one burst (%.0f)", -got, burst)
	}
	// Unlimited: nothing to charge, nothing breaks.
	fairness.SetLimit(s.down, 0)
	s.chargeWebRTC(torrent.ReceivedUsefulDataEvent{Peer: &torrent.Peer{Network: "webrtc"}, Message: chunk})
}
