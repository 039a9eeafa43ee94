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
