package wstracker

import (
	"errors"
	"fmt"
	"time"
)

// handle acts on one message; an error closes the connection.
func (c *conn) handle(msg []byte) error {
	r, err := parseRequest(msg)
	if err != nil {
		return err
	}
	if r.Action == "scrape" {
		if !c.messages.Allow() {
			return errors.New("message flood")
		}
		c.send(failure{Action: "scrape", Reason: "scrape is not supported by this tracker"})
		return nil
	}
	ih, err := parseID(r.InfoHash, "info_hash")
	if err != nil {
		return err
	}
	pid, err := parseID(r.PeerID, "peer_id")
	if err != nil {
		return err
	}
	if c.hasPeerID && pid != c.peerID {
		return fmt.Errorf("peer_id changed from %s to %s on one connection", c.peerID, pid)
	}
	if c.s.o.Allow != nil && !c.s.o.Allow(ih) {
		return fmt.Errorf("unknown info_hash %s", ih)
	}
	if r.Answer != nil {
		return c.answer(ih, pid, r)
	}
	if len(r.Offers) > 0 {
		if !c.offers.AllowN(time.Now(), len(r.Offers)) {
			return fmt.Errorf("offer flood: over %g offers a second", c.s.o.OfferRate)
		}
	} else if !c.messages.Allow() {
		return errors.New("message flood")
	}
	return c.announce(ih, pid, r)
}

func (c *conn) announce(ih, pid id, r *request) error {
	s := c.s
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c.setPeerID(pid)
	if r.Event == "stopped" {
		s.leaveLocked(c, ih)
		c.send(s.replyLocked(ih))
		return nil
	}
	sw := s.swarms[ih]
	if sw == nil {
		if len(s.swarms) >= s.o.MaxSwarms {
			return fmt.Errorf("too many swarms (%d) for info_hash %s", s.o.MaxSwarms, ih)
		}
		sw = &swarm{peers: make(map[id]*peer)}
		s.swarms[ih] = sw
	}
	p := sw.peers[pid]
	if p == nil {
		if len(sw.peers) >= s.o.MaxPeersPerSwarm {
			return fmt.Errorf("swarm %s is full (%d peers)", ih, s.o.MaxPeersPerSwarm)
		}
		p = newPeer(pid, c)
		sw.peers[pid] = p
	}
	// A peer that reconnected takes its place over from the old socket.
	p.conn = c
	c.swarms[ih] = true
	p.complete = r.Event == "completed" || (r.Left != nil && *r.Left == 0)
	c.send(s.replyLocked(ih))
	s.relayOffersLocked(ih, sw, p, r.Offers, now)
	return nil
}

func (s *Server) replyLocked(ih id) announceReply {
	rep := announceReply{Action: "announce", InfoHash: ih.binaryString(), Interval: int(s.o.Interval / time.Second)}
	if sw := s.swarms[ih]; sw != nil {
		rep.Complete, rep.Incomplete = sw.counts()
	}
	return rep
}

// relayOffersLocked sends each offer to a different peer, as many as
// there are suitable peers; the rest are never answered, which the
// offering peer's WebRTC stack times out.
func (s *Server) relayOffersLocked(ih id, sw *swarm, from *peer, offers []offer, now time.Time) {
	n := min(len(offers), s.o.MaxOffersPerAnnounce)
	for i, to := range sw.targets(from, n, now, s.o.PairTTL, s.o.OfferTTL) {
		o := offers[i]
		to.pending[pendingKey{from.id, o.OfferID}] = now
		pair(from, to, now)
		s.offersRelayed.Add(1)
		to.conn.send(relay{Action: "announce", InfoHash: ih.binaryString(), PeerID: from.id.binaryString(), OfferID: o.OfferID, Offer: o.Offer})
	}
}

// answer relays an answer to the peer whose offer it answers. Answers to
// offers this tracker did not relay to the sender are dropped; they cost
// the sender like any other message.
func (c *conn) answer(ih, pid id, r *request) error {
	to, err := parseID(r.ToPeerID, "to_peer_id")
	if err != nil {
		return err
	}
	s := c.s
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c.setPeerID(pid)
	sw := s.swarms[ih]
	var from, dest *peer
	if sw != nil {
		from, dest = sw.peers[pid], sw.peers[to]
	}
	if from == nil || from.conn != c || dest == nil || !from.takeAnswer(to, r.OfferID, now, s.o.OfferTTL) {
		if !c.messages.Allow() {
			return errors.New("message flood: too many answers to unknown offers")
		}
		return nil
	}
	s.answersRelayed.Add(1)
	dest.conn.send(relay{Action: "announce", InfoHash: ih.binaryString(), PeerID: pid.binaryString(), OfferID: r.OfferID, Answer: r.Answer})
	return nil
}
