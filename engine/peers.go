package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/anacrolix/torrent"
)

// peerSnapshots describes every connected peer and web seed of t and
// forgets meters of peers that are gone. Callers hold sampleMu.
func (h *handle) peerSnapshots(t *torrent.Torrent, now time.Time, rtts *rttBook) []PeerSnapshot {
	numPieces := 0
	if t.Info() != nil {
		numPieces = t.NumPieces()
	}
	seen := make(map[*torrent.Peer]bool)
	var out []PeerSnapshot
	for _, pc := range t.PeerConns() {
		p := &pc.Peer
		seen[p] = true
		ps := h.peerSnapshot(p, now, numPieces)
		ps.Network = peerNetwork(p.Network)
		ps.Client = peerClient(pc)
		ps.Source = strings.HasPrefix(string(pc.PeerID[:]), publisherPeerIDPrefix[:3])
		ps.Outgoing = pc.Network == "tcp4" || pc.Network == "tcp6"
		if e, ok := rtts.estimate(p, now); ok {
			ps.RTT, ps.RTTVar, ps.RTTSource = e.Display(), e.RTTVar, string(e.Source)
		}
		out = append(out, ps)
	}
	for _, p := range t.WebseedPeerConns() {
		seen[p] = true
		ps := h.peerSnapshot(p, now, numPieces)
		ps.Network = NetworkWebSeed
		ps.Client = "web seed"
		ps.Progress = 1
		if e, ok := rtts.webSeedEstimate(ps.Addr); ok {
			ps.RTT, ps.RTTVar, ps.RTTSource = e.Display(), e.RTTVar, string(e.Source)
		}
		out = append(out, ps)
	}
	for p := range h.peers {
		if !seen[p] {
			delete(h.peers, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

func (h *handle) peerSnapshot(p *torrent.Peer, now time.Time, numPieces int) PeerSnapshot {
	st := p.Stats()
	m := h.peers[p]
	if m == nil {
		m = &peerMeter{}
		h.peers[p] = m
	}
	down, up := st.BytesReadUsefulData.Int64(), st.BytesWrittenData.Int64()
	m.down.add(now, down)
	m.up.add(now, up)
	ps := PeerSnapshot{
		Addr:       fmt.Sprint(p.RemoteAddr),
		DownRate:   m.down.rate(),
		UpRate:     m.up.rate(),
		Downloaded: down,
		Uploaded:   up,
		Ratio:      ratio(up, down),
	}
	if numPieces > 0 {
		ps.Progress = float64(st.RemotePieceCount) / float64(numPieces)
	}
	return ps
}

func peerNetwork(n string) PeerNetwork {
	switch {
	case strings.HasPrefix(n, "tcp"):
		return NetworkTCP
	case strings.HasPrefix(n, "udp"), strings.HasPrefix(n, "utp"):
		return NetworkUTP
	case n == "webrtc":
		return NetworkWebRTC
	}
	return PeerNetwork(n)
}

func peerClient(pc *torrent.PeerConn) string {
	if v, ok := pc.PeerClientName.Load().(string); ok && v != "" {
		return v
	}
	return ClientFromPeerID(pc.PeerID)
}

// azureusClients maps BEP 20 two-letter codes to client names.
var azureusClients = map[string]string{
	"FS": "Fairshare", "FP": "Fairshare source", "TR": "Transmission",
	"LT": "libtorrent", "lt": "libTorrent (rakshasa)", "qB": "qBittorrent",
	"UT": "µTorrent", "DE": "Deluge", "GT": "anacrolix/torrent",
	"WW": "WebTorrent", "AZ": "Vuze", "BI": "BiglyBT",
}

// ClientFromPeerID names a client from an Azureus-style peer ID
// ("-TR3000-…" is Transmission 3.000); "" when it is not one we know.
func ClientFromPeerID(id [20]byte) string {
	if id[0] != '-' || id[7] != '-' {
		return ""
	}
	name, ok := azureusClients[string(id[1:3])]
	if !ok {
		return ""
	}
	return name + " " + string(id[3:7])
}
