package engine

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/anacrolix/torrent"
	"golang.org/x/time/rate"
)

// SourceView is what a source node sees of its swarm over its own peer
// connections, for the publisher's mode decision.
type SourceView struct {
	PeerIDs          [][20]byte // peer IDs of connected peers
	PeersWithData    int        // connected peers holding at least one piece
	Seeds            int        // connected peers holding every piece
	SourceOnlyPieces int        // pieces no connected peer holds; -1 with no peers or no info
}

// SourceView reports infoHash's peer connections. An unknown or stopped
// torrent gives an empty view.
func (s *Session) SourceView(infoHash string) SourceView {
	v := SourceView{SourceOnlyPieces: -1}
	t := s.runningTorrent(infoHash)
	if t == nil || t.Info() == nil {
		return v
	}
	conns := t.PeerConns()
	if len(conns) == 0 {
		return v
	}
	n := t.NumPieces()
	held := make([]bool, n)
	for _, pc := range conns {
		v.PeerIDs = append(v.PeerIDs, pc.PeerID)
		pieces := pc.PeerPieces()
		count := int(pieces.GetCardinality())
		if count > 0 {
			v.PeersWithData++
		}
		if count >= n {
			v.Seeds++
		}
		pieces.Iterate(func(i uint32) bool {
			if int(i) < n {
				held[i] = true
			}
			return true
		})
	}
	v.SourceOnlyPieces = 0
	for _, h := range held {
		if !h {
			v.SourceOnlyPieces++
		}
	}
	return v
}

// ErrNotSuperSeeding explains why SuperSeed did nothing.
var ErrNotSuperSeeding = errors.New("not super-seeding")

// SuperSeed makes the source offer infoHash's pieces to each new peer a
// few at a time, rarest first (package superseed); peers already
// connected keep the full bitfield they saw. It needs Config.ActiveSource
// and every piece verified here, since offers promise pieces.
func (s *Session) SuperSeed(infoHash string) error {
	if s.super == nil {
		return fmt.Errorf("%w: the session was opened without ActiveSource", ErrNotSuperSeeding)
	}
	t := s.runningTorrent(infoHash)
	if t == nil || t.Info() == nil {
		return fmt.Errorf("%w: %s is not running", ErrNotSuperSeeding, infoHash)
	}
	if t.BytesMissing() > 0 {
		return fmt.Errorf("%w: %s is not complete yet", ErrNotSuperSeeding, infoHash)
	}
	s.super.Add(t.InfoHash(), t.NumPieces())
	return nil
}

// Offers counts the pieces super-seeding has offered to peers.
func (s *Session) Offers() int64 {
	if s.super == nil {
		return 0
	}
	return s.super.Offers()
}

// SetUploadAllowed lets infoHash upload to peers or chokes them all; the
// source node stops when the swarm holds enough copies without it.
func (s *Session) SetUploadAllowed(infoHash string, allowed bool) {
	t := s.runningTorrent(infoHash)
	if t == nil {
		return
	}
	if allowed {
		t.AllowDataUpload()
	} else {
		t.DisallowDataUpload()
	}
}

// DropLeechers closes infoHash's connections to peers that lack pieces
// and returns how many. Choking alone is not enough to stop serving them:
// with the fast extension anacrolix neither rejects their queued requests
// on choke nor lets them re-request those chunks elsewhere, so a leecher
// whose last requests sat at a choked source stalled for good. A closed
// connection frees them at once.
func (s *Session) DropLeechers(infoHash string) int {
	t := s.runningTorrent(infoHash)
	if t == nil || t.Info() == nil {
		return 0
	}
	n := 0
	for _, pc := range t.PeerConns() {
		if int(pc.PeerPieces().GetCardinality()) < t.NumPieces() {
			pc.Close()
			n++
		}
	}
	return n
}

// UploadLimiter is the session's upload limiter, for a web seed that must
// share the session's upload cap.
func (s *Session) UploadLimiter() *rate.Limiter { return s.up }

// PeerID is this session's BitTorrent peer ID.
func (s *Session) PeerID() [20]byte { return s.peerID }

func (s *Session) runningTorrent(infoHash string) *torrent.Torrent {
	h, err := s.lookup(infoHash)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return h.t
}

// admitPeers closes peer connections that Config.AdmitPeer refuses. It
// runs off the callback: anacrolix holds its lock while calling it, and
// Close takes that lock.
func (s *Session) admitPeers(cc *torrent.ClientConfig) {
	admit := s.cfg.AdmitPeer
	if admit == nil {
		return
	}
	cc.Callbacks.PeerConnAdded = append(cc.Callbacks.PeerConnAdded, func(pc *torrent.PeerConn) {
		id := pc.PeerID
		addr, _ := netip.ParseAddrPort(pc.RemoteAddr.String())
		go func() {
			if !admit(id, addr) {
				pc.Close()
			}
		}()
	})
}

// AddPeers asks infoHash to connect to addrs: the source node dials
// leechers itself when it has a free direct slot, instead of waiting up to
// a minute for them to reannounce.
func (s *Session) AddPeers(infoHash string, addrs []netip.AddrPort) {
	t := s.runningTorrent(infoHash)
	if t == nil || len(addrs) == 0 {
		return
	}
	ps := make([]torrent.PeerInfo, 0, len(addrs))
	for _, a := range addrs {
		ps = append(ps, torrent.PeerInfo{Addr: a, Source: torrent.PeerSourceTracker, Trusted: true})
	}
	t.AddPeers(ps)
}
