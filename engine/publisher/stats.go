package publisher

import (
	"bytes"
	"net/netip"
	"slices"
	"time"

	"github.com/anacrolix/torrent/metainfo"
)

// PeerEntry is one announced peer, for status output.
type PeerEntry struct {
	Addr         netip.AddrPort
	PeerID       [20]byte
	Left         int64 // bytes the peer still needs; -1 if it did not say
	Seeder       bool
	LastAnnounce time.Time
}

// SwarmStats describes one info hash's swarm. SourceAddrs are not counted:
// these are the peers that announced.
type SwarmStats struct {
	InfoHash  metainfo.Hash
	Seeders   int
	Leechers  int
	Completed int // "completed" events received
	// Delivered sums the largest "downloaded" each peer reported (peers
	// that left included): the bytes the swarm received, from anybody.
	Delivered int64
	Peers     []PeerEntry
}

// Stats reports the live peers of infoHash, sorted by address. An unknown
// info hash gives zero stats.
func (t *Tracker) Stats(infoHash metainfo.Hash) SwarmStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return statsOf(infoHash, t.expireLocked(infoHash, t.now()))
}

// Swarms reports every swarm with live peers or completed downloads,
// sorted by info hash.
func (t *Tracker) Swarms() []SwarmStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var ret []SwarmStats
	for ih := range t.swarms {
		if s := t.expireLocked(ih, now); s != nil {
			ret = append(ret, statsOf(ih, s))
		}
	}
	slices.SortFunc(ret, func(a, b SwarmStats) int {
		return bytes.Compare(a.InfoHash[:], b.InfoHash[:])
	})
	return ret
}

func statsOf(ih metainfo.Hash, s *swarm) SwarmStats {
	st := SwarmStats{InfoHash: ih}
	if s == nil {
		return st
	}
	st.Seeders, st.Leechers = s.counts()
	st.Completed = s.completed
	st.Delivered = s.delivered()
	for addr, rec := range s.peers {
		st.Peers = append(st.Peers, PeerEntry{
			Addr:         addr,
			PeerID:       rec.id,
			Left:         rec.left,
			Seeder:       rec.seeding(),
			LastAnnounce: rec.last,
		})
	}
	slices.SortFunc(st.Peers, func(a, b PeerEntry) int { return a.Addr.Compare(b.Addr) })
	return st
}

// PeerIDsAt lists the peer IDs announced from ip, in any swarm: how the web
// seed recognises a third-party client (which sends no peer ID over HTTP)
// as a downloader the tracker already knows.
func (t *Tracker) PeerIDsAt(ip netip.Addr) [][20]byte {
	ip = ip.Unmap()
	t.mu.Lock()
	defer t.mu.Unlock()
	var ret [][20]byte
	for _, s := range t.swarms {
		for addr, rec := range s.peers {
			if addr.Addr() == ip {
				ret = append(ret, rec.id)
			}
		}
	}
	return ret
}

// Forget drops a peer of infoHash that is known to be gone (the publisher
// found its port closed), and frees its direct slot: clients that exit
// without announcing "stopped" would otherwise count as seeders until they
// expire, and hold the source in S2 with nobody left to serve.
func (t *Tracker) Forget(infoHash metainfo.Hash, addr netip.AddrPort) {
	addr = unmap(addr)
	t.mu.Lock()
	s := t.swarms[infoHash]
	var rec *peerRecord
	if s != nil {
		rec = s.peers[addr]
		delete(s.peers, addr)
	}
	t.mu.Unlock()
	if rec != nil && t.direct != nil {
		id := rec.id
		t.direct.Release(ClientKey(&id, addr.Addr()))
	}
}
