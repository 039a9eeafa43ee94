package wstracker

import (
	"math/rand/v2"
	"time"
)

// peer is one peer ID in one swarm, reached through conn.
type peer struct {
	id       id
	conn     *conn
	complete bool
	// pending holds offers relayed to this peer that it has not answered;
	// only those answers are relayed back.
	pending map[pendingKey]time.Time
	// paired holds when an offer last went between this peer and another,
	// in either direction.
	paired map[id]time.Time
}

type pendingKey struct {
	from    id
	offerID string
}

func newPeer(pid id, c *conn) *peer {
	return &peer{id: pid, conn: c, pending: make(map[pendingKey]time.Time), paired: make(map[id]time.Time)}
}

// canTakeOffer reports whether p has room for another unanswered offer,
// forgetting offers older than ttl first.
func (p *peer) canTakeOffer(now time.Time, ttl time.Duration) bool {
	if len(p.pending) < maxPendingOffers {
		return true
	}
	for k, at := range p.pending {
		if now.Sub(at) > ttl {
			delete(p.pending, k)
		}
	}
	return len(p.pending) < maxPendingOffers
}

// takeAnswer reports whether p was sent offerID from from and has not
// answered it yet, and consumes it.
func (p *peer) takeAnswer(from id, offerID string, now time.Time, ttl time.Duration) bool {
	k := pendingKey{from, offerID}
	at, ok := p.pending[k]
	if !ok {
		return false
	}
	delete(p.pending, k)
	return now.Sub(at) <= ttl
}

type swarm struct {
	peers map[id]*peer
}

func (s *swarm) counts() (complete, incomplete int) {
	for _, p := range s.peers {
		if p.complete {
			complete++
		} else {
			incomplete++
		}
	}
	return complete, incomplete
}

// remove drops p and every pairing that names it, so that a peer that
// comes back can be matched again at once.
func (s *swarm) remove(p *peer) {
	delete(s.peers, p.id)
	for other := range p.paired {
		if q := s.peers[other]; q != nil {
			delete(q.paired, p.id)
		}
	}
}

// targets picks up to n peers, in random order, to receive offers from
// from: not from itself, not one paired with it within pairTTL, not one
// with too many unanswered offers, and not a seed when from is a seed.
func (s *swarm) targets(from *peer, n int, now time.Time, pairTTL, offerTTL time.Duration) []*peer {
	var out []*peer
	for _, q := range s.peers {
		if q == from || (from.complete && q.complete) {
			continue
		}
		if at, ok := from.paired[q.id]; ok && now.Sub(at) < pairTTL {
			continue
		}
		if !q.canTakeOffer(now, offerTTL) {
			continue
		}
		out = append(out, q)
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// pair records that an offer went between a and b.
func pair(a, b *peer, now time.Time) {
	a.paired[b.id] = now
	b.paired[a.id] = now
}
