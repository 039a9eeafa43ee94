package publisher

import (
	"net/netip"
	"time"

	"github.com/anacrolix/torrent/tracker"
	"github.com/anacrolix/torrent/tracker/udp"
)

// peerRecord is what the tracker remembers about one announcing peer.
type peerRecord struct {
	id   [20]byte
	left int64 // -1 when the announce did not say
	last time.Time
}

func (p peerRecord) seeding() bool { return p.left == 0 }

// swarm is the set of peers announcing one info hash, keyed by the address
// other peers should dial (announcer's IP, announced port).
type swarm struct {
	peers     map[netip.AddrPort]*peerRecord
	completed int // "completed" events seen, for scrape's "downloaded"
	// downloaded is the largest "downloaded" each peer ID reported, kept
	// after it leaves: the bytes the swarm delivered, for the offload.
	downloaded map[[20]byte]int64
}

func newSwarm() *swarm {
	return &swarm{peers: make(map[netip.AddrPort]*peerRecord), downloaded: make(map[[20]byte]int64)}
}

func (s *swarm) noteDownloaded(id [20]byte, n int64) {
	if n > s.downloaded[id] {
		s.downloaded[id] = n
	}
}

func (s *swarm) delivered() (n int64) {
	for _, d := range s.downloaded {
		n += d
	}
	return n
}

// announce records one announce. A "completed" event makes the peer a
// seeder even if its "left" lagged behind, and counts one download.
func (s *swarm) announce(addr netip.AddrPort, req udp.AnnounceRequest, now time.Time) {
	rec, ok := s.peers[addr]
	if !ok {
		rec = &peerRecord{}
		s.peers[addr] = rec
	}
	wasSeeding := ok && rec.seeding()
	rec.id = req.PeerId
	rec.left = max(req.Left, -1)
	rec.last = now
	if req.Event == tracker.Completed {
		rec.left = 0
		if !wasSeeding {
			s.completed++
		}
	}
}

// expire drops peers last heard from before deadline.
func (s *swarm) expire(deadline time.Time) {
	for addr, rec := range s.peers {
		if rec.last.Before(deadline) {
			delete(s.peers, addr)
		}
	}
}

func (s *swarm) counts() (seeders, leechers int) {
	for _, rec := range s.peers {
		if rec.seeding() {
			seeders++
		} else {
			leechers++
		}
	}
	return seeders, leechers
}
