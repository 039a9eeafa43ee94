package rtt

import (
	"math/rand/v2"
	"time"
)

const (
	// PingTimeout forgets an unanswered ping; a pong later than this is
	// more likely a replay than a round trip.
	PingTimeout = 30 * time.Second
	// MaxOutstanding bounds memory per peer against a peer that never
	// answers; the oldest ping is forgotten first.
	MaxOutstanding = 8
)

type outstanding struct {
	nonce uint64
	sent  time.Time
}

// Pinger tracks the unanswered pings sent to one peer. The zero value is
// ready to use. It is not safe for concurrent use; the owning peer state
// serialises calls.
type Pinger struct {
	// Rand draws nonces; nil means math/rand/v2, whose generator is
	// randomly seeded so a peer cannot predict and pre-answer a nonce.
	Rand func() uint64

	pending []outstanding // oldest first
}

// NextPing makes a ping to send now and remembers it.
func (p *Pinger) NextPing(now time.Time) Message {
	p.expire(now)
	if len(p.pending) >= MaxOutstanding {
		p.pending = p.pending[1:]
	}
	n := p.freshNonce()
	p.pending = append(p.pending, outstanding{nonce: n, sent: now})
	return Message{Kind: KindPing, Nonce: n, SentUnixNano: now.UnixNano()}
}

// OnPong matches a pong to its ping and returns the round trip measured
// from our own send time; the peer's SentUnixNano is ignored because a
// hostile peer could forge it. Each nonce is answered once: duplicates,
// unknown or expired nonces, non-pongs and pongs from before the ping
// (a clock stepped back) all return false.
func (p *Pinger) OnPong(now time.Time, m Message) (time.Duration, bool) {
	p.expire(now)
	if m.Kind != KindPong {
		return 0, false
	}
	i := p.find(m.Nonce)
	if i < 0 {
		return 0, false
	}
	sent := p.pending[i].sent
	p.pending = append(p.pending[:i], p.pending[i+1:]...)
	rtt := now.Sub(sent)
	if rtt < 0 {
		return 0, false
	}
	return rtt, true
}

// Sent moves a pending ping's send time forward to at, for callers that
// learn when the ping was really handed to the connection only after
// NextPing (they waited for a lock to write it); without it that wait
// would count as round-trip time. An earlier time, or a nonce no longer
// pending (answered or expired), changes nothing.
func (p *Pinger) Sent(nonce uint64, at time.Time) {
	if i := p.find(nonce); i >= 0 && at.After(p.pending[i].sent) {
		p.pending[i].sent = at
	}
}

// Outstanding is the number of pings awaiting a pong.
func (p *Pinger) Outstanding() int { return len(p.pending) }

// expire drops pings older than PingTimeout. Pending is in send order,
// so expired ones are a prefix.
func (p *Pinger) expire(now time.Time) {
	i := 0
	for i < len(p.pending) && now.Sub(p.pending[i].sent) > PingTimeout {
		i++
	}
	p.pending = p.pending[i:]
}

// freshNonce draws a nonce and forgets any outstanding ping with the
// same one, so a pong is never ambiguous between two send times. With
// 64 random bits that only happens with a broken Rand, and then it still
// cannot loop forever.
func (p *Pinger) freshNonce() uint64 {
	draw := p.Rand
	if draw == nil {
		draw = rand.Uint64
	}
	n := draw()
	if i := p.find(n); i >= 0 {
		p.pending = append(p.pending[:i], p.pending[i+1:]...)
	}
	return n
}

func (p *Pinger) find(nonce uint64) int {
	for i, o := range p.pending {
		if o.nonce == nonce {
			return i
		}
	}
	return -1
}
