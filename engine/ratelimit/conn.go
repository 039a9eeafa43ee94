package ratelimit

import (
	"net"
	"time"

	"golang.org/x/time/rate"
)

// HandshakeAllowance is how much a new connection reads without waiting
// for the limiter (it is still charged): the BitTorrent handshake,
// extended handshake and bitfield, which must beat the peer's handshake
// timeout even when a saturated cap has a queue of several seconds.
const HandshakeAllowance = 16 << 10

// Conn is a net.Conn whose reads are throttled by a shared limiter;
// writes pass through (the upload cap is applied by whoever writes).
// Reads are not safe for concurrent use (net.Conn users read from one
// goroutine).
type Conn struct {
	net.Conn
	r    Reader
	free int
}

// NewConn wraps c so that its reads draw on l.
func NewConn(c net.Conn, l *rate.Limiter) *Conn {
	return &Conn{Conn: c, r: Reader{R: c, L: l}, free: HandshakeAllowance}
}

func (c *Conn) Read(b []byte) (int, error) {
	if c.free <= 0 || len(b) == 0 {
		return c.r.Read(b)
	}
	n, err := c.Conn.Read(b[:min(len(b), c.free)])
	c.free -= n
	charge(c.r.L, n)
	return n, err
}

// NetConn returns the wrapped connection, as crypto/tls does.
func (c *Conn) NetConn() net.Conn { return c.Conn }

// charge takes n tokens from l without waiting, leaving it in debt that
// later readers wait out.
func charge(l *rate.Limiter, n int) {
	now := time.Now()
	for n > 0 {
		k := min(n, l.Burst())
		if l.Limit() == rate.Inf || k <= 0 {
			return
		}
		if l.ReserveN(now, k).OK() {
			n -= k
		}
	}
}
