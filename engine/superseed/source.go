package superseed

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// DefaultWindow is how many offered pieces a peer may hold unfetched: two
// keep its requests flowing while it verifies and announces the first.
const DefaultWindow = 2

// Source is the super-seeding state of one complete source, for every
// torrent it serves this way.
type Source struct {
	window int
	mu     sync.Mutex
	swarms map[[20]byte]*swarm
	offers atomic.Int64 // Have messages injected, for status output
}

// NewSource returns a Source offering each peer window pieces at a time
// (DefaultWindow if ≤ 0).
func NewSource(window int) *Source {
	if window <= 0 {
		window = DefaultWindow
	}
	return &Source{window: window, swarms: make(map[[20]byte]*swarm)}
}

// Add makes the source super-seed a torrent of numPieces pieces; peers of
// torrents not added see the source's real bitfield.
func (s *Source) Add(infoHash [20]byte, numPieces int) {
	if numPieces <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.swarms[infoHash]; !ok {
		s.swarms[infoHash] = &swarm{held: make([]int, numPieces), offered: make([]int, numPieces)}
	}
}

// Remove stops super-seeding a torrent (peers already connected keep
// their offers until they go).
func (s *Source) Remove(infoHash [20]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.swarms, infoHash)
}

// Offers is the number of pieces offered so far, all torrents together.
func (s *Source) Offers() int64 { return s.offers.Load() }

// swarm is one torrent: how many connected peers hold, and were offered,
// each piece.
type swarm struct {
	held, offered []int
}

// peer is one connection's view: what the peer holds and what it was
// offered and has not announced yet.
type peer struct {
	sw      *swarm
	has     []bool
	pending map[int]struct{}
	seed    bool // announced every piece (HaveAll)
	ready   bool // the source's own bitfield has been replaced
	send    func(piece int)
}

// join registers a peer of infoHash; nil when that torrent is not super-seeded.
func (s *Source) join(infoHash [20]byte, send func(int)) *peer {
	s.mu.Lock()
	defer s.mu.Unlock()
	sw := s.swarms[infoHash]
	if sw == nil {
		return nil
	}
	return &peer{sw: sw, has: make([]bool, len(sw.held)), pending: make(map[int]struct{}), send: send}
}

// start is called once the peer has been told the source holds nothing:
// from now on offers reach it.
func (s *Source) start(p *peer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ready = true
	s.topUp(p)
}

// gotHave records that the peer holds piece i.
func (s *Source) gotHave(p *peer, i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markHas(p, i)
	s.topUp(p)
}

// gotBitfield records the peer's opening bitfield (all pieces when all).
func (s *Source) gotBitfield(p *peer, bits []byte, all bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range p.has {
		if all || (i/8 < len(bits) && bits[i/8]&(0x80>>(i%8)) != 0) {
			s.markHas(p, i)
		}
	}
	p.seed = all
	s.topUp(p)
}

// leave forgets a peer whose connection closed.
func (s *Source) leave(p *peer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, h := range p.has {
		if h {
			p.sw.held[i]--
		}
	}
	for i := range p.pending {
		p.sw.offered[i]--
	}
	p.pending, p.has = nil, make([]bool, len(p.has))
}

func (s *Source) markHas(p *peer, i int) {
	if i < 0 || i >= len(p.has) || p.has[i] {
		return
	}
	p.has[i] = true
	p.sw.held[i]++
	if _, ok := p.pending[i]; ok {
		delete(p.pending, i)
		p.sw.offered[i]--
	}
}

// topUp offers the peer pieces until it has window unfetched offers.
func (s *Source) topUp(p *peer) {
	if !p.ready || p.seed || p.pending == nil {
		return
	}
	lacks := func(i int) bool {
		_, offered := p.pending[i]
		return !p.has[i] && !offered
	}
	for len(p.pending) < s.window {
		i := pick(p.sw.held, p.sw.offered, lacks, rand.IntN(len(p.has)))
		if i < 0 {
			return
		}
		p.pending[i] = struct{}{}
		p.sw.offered[i]++
		s.offers.Add(1)
		p.send(i)
	}
}
