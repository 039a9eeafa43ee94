package ratelimit

import (
	"net"

	"golang.org/x/time/rate"
)

// Conn is a net.Conn whose reads are throttled by a shared limiter;
// writes pass through (the upload cap is applied by whoever writes).
type Conn struct {
	net.Conn
	r Reader
}

// NewConn wraps c so that its reads draw on l.
func NewConn(c net.Conn, l *rate.Limiter) *Conn {
	return &Conn{Conn: c, r: Reader{R: c, L: l}}
}

func (c *Conn) Read(b []byte) (int, error) { return c.r.Read(b) }

// NetConn returns the wrapped connection, as crypto/tls does.
func (c *Conn) NetConn() net.Conn { return c.Conn }
