package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/anacrolix/torrent"

	"fairshare/engine/rtt"
)

const (
	// defaultPeerGrace is how long a new connection is left alone before
	// the selection policy may judge it: long enough for a few pings and
	// for its download rate to show.
	defaultPeerGrace = 20 * time.Second
	// swapRetry is how long an address dialled to replace a peer is not
	// chosen again; one that never answered stays unmeasured otherwise
	// and would be picked every round.
	swapRetry = 5 * time.Minute
)

// selectPeers applies the RTT-aware keep/drop policy to one torrent: at
// its connection limit, the worst-ranked peer past its grace period is
// dropped for a clearly faster (or, if it is slow, an untried) address.
// At most one swap per torrent per call; the caller paces the calls.
func (s *Session) selectPeers(t *torrent.Torrent, now time.Time) {
	conns := t.PeerConns()
	if len(conns) < s.peersPerTorrent() {
		return
	}
	numPieces := 0
	if t.Info() != nil {
		numPieces = t.NumPieces()
	}
	stats := t.Stats()
	cands := make([]rtt.Candidate, 0, len(conns))
	byID := make(map[string]*torrent.PeerConn, len(conns))
	for _, pc := range conns {
		c := s.candidate(pc, stats.PiecesComplete, numPieces, now)
		cands = append(cands, c)
		byID[c.ID] = pc
	}
	alts := s.rtt.alternatives(t.InfoHash().HexString(), conns, now)
	drop, dial, ok := rtt.Swap(cands, alts, s.peerGrace())
	if !ok {
		return
	}
	s.rtt.noteSwap(dial, now)
	s.log.Info("replacing a slow peer", "infohash", t.InfoHash().HexString(), "drop", drop, "dial", dial)
	byID[drop].Close()
	t.AddPeers([]torrent.PeerInfo{{Addr: torrent.StringAddr(dial), Source: torrent.PeerSourceDirect}})
}

// candidate describes one connection to the ranking. "Useful" is
// approximated from piece counts (we are not complete and the peer has
// more pieces than we do, or all of them), which avoids locking every
// piece's state; before the metadata arrives no peer counts as useful.
func (s *Session) candidate(pc *torrent.PeerConn, weHave, numPieces int, now time.Time) rtt.Candidate {
	st := pc.Stats()
	c := rtt.Candidate{
		ID:        pc.RemoteAddr.String(),
		Protected: strings.HasPrefix(string(pc.PeerID[:]), publisherPeerIDPrefix[:3]),
	}
	c.RTT, c.DownRate, c.Connected = s.rtt.rankInputs(&pc.Peer, st.BytesReadUsefulData.Int64(), now)
	if numPieces > 0 && weHave < numPieces {
		c.Useful = st.RemotePieceCount > weHave || st.RemotePieceCount == numPieces
	}
	return c
}

func (s *Session) peersPerTorrent() int {
	if s.cfg.PeersPerTorrent > 0 {
		return s.cfg.PeersPerTorrent
	}
	return torrent.NewDefaultClientConfig().EstablishedConnsPerTorrent
}

func (s *Session) peerGrace() time.Duration {
	if s.cfg.PeerGrace > 0 {
		return s.cfg.PeerGrace
	}
	return defaultPeerGrace
}

// rankInputs gives the ranking what the book knows of p: its RTT, its
// download rate since the last call, and how long it has been connected.
func (b *rttBook) rankInputs(p *torrent.Peer, downBytes int64, now time.Time) (time.Duration, float64, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.peers[p]
	if st == nil {
		return 0, 0, 0
	}
	var d time.Duration
	if e, ok := st.best(now); ok {
		d = e.Display()
	}
	rate := 0.0
	if dt := now.Sub(st.rateAt).Seconds(); !st.rateAt.IsZero() && dt > 0 {
		rate = float64(downBytes-st.rateBytes) / dt
	}
	st.rateAt, st.rateBytes = now, downBytes
	return d, rate, now.Sub(st.added)
}

// alternatives lists the torrent's dialable addresses that are not
// connected now, with their last known RTT, lowest first; addresses just
// dialled for a swap are left out for swapRetry.
func (b *rttBook) alternatives(infoHash string, conns []*torrent.PeerConn, now time.Time) []rtt.Alternative {
	b.mu.Lock()
	defer b.mu.Unlock()
	connected := make(map[string]bool)
	for _, pc := range conns {
		connected[pc.RemoteAddr.String()] = true
		if st := b.peers[&pc.Peer]; st != nil && st.dialAddr != "" {
			connected[st.dialAddr] = true
		}
	}
	var addrs []string
	for a := range b.addrs[infoHash] {
		if connected[a] || now.Sub(b.swapped[a]) < swapRetry {
			continue
		}
		addrs = append(addrs, a)
	}
	slices.Sort(addrs)
	addrs = rtt.DialOrder(addrs, b.known)
	out := make([]rtt.Alternative, len(addrs))
	for i, a := range addrs {
		out[i] = rtt.Alternative{Addr: a, RTT: b.known[a]}
	}
	return out
}

func (b *rttBook) noteSwap(addr string, now time.Time) {
	b.mu.Lock()
	b.swapped[addr] = now
	b.mu.Unlock()
}

// dialOrder records addrs as candidates for the torrent and returns them
// lowest known RTT first. anacrolix dials addresses handed to it one at a
// time as they are added, while it has half-open slots free, so the
// order decides which peers are tried first.
func (b *rttBook) dialOrder(infoHash string, addrs []string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.addAddrsLocked(infoHash, addrs...)
	return rtt.DialOrder(addrs, b.known)
}

func (b *rttBook) addAddrsLocked(infoHash string, addrs ...string) {
	set := b.addrs[infoHash]
	if set == nil {
		set = make(map[string]struct{})
		b.addrs[infoHash] = set
	}
	for _, a := range addrs {
		if a != "" {
			set[a] = struct{}{}
		}
	}
}
