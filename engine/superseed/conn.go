package superseed

import (
	"encoding/binary"
	"net"
	"sync"

	pp "github.com/anacrolix/torrent/peer_protocol"
)

// Conn is a source's peer socket with super-seeding applied: see the
// package comment. Reads and writes must each come from one goroutine at
// a time, as anacrolix does.
type Conn struct {
	net.Conn
	src *Source

	in *framer // what the peer sends

	wmu     sync.Mutex // serialises writes to the socket
	out     *framer    // what the source sends
	pending []byte     // Have messages waiting for a message boundary
	wake    chan struct{}
	closed  chan struct{}
	once    sync.Once

	pmu  sync.Mutex
	peer *peer // nil until the handshake names a super-seeded torrent
}

// Wrap returns c with super-seeding for the torrents s serves.
func (s *Source) Wrap(c net.Conn) net.Conn {
	sc := &Conn{Conn: c, src: s, wake: make(chan struct{}, 1), closed: make(chan struct{})}
	sc.in = newFramer(func(id pp.MessageType) bool { return id == pp.Have || id == pp.Bitfield })
	sc.out = newFramer(func(pp.MessageType) bool { return false })
	go sc.flushLoop()
	return sc
}

func (c *Conn) getPeer() *peer {
	c.pmu.Lock()
	defer c.pmu.Unlock()
	return c.peer
}

// Read passes the peer's bytes on and learns from its handshake, Bitfield
// and Have messages.
func (c *Conn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.in.feed(b[:n], c.observe)
	return n, err
}

func (c *Conn) observe(seg segment) {
	if !seg.inMsg {
		if hs := c.in.handshake(); hs != nil && c.getPeer() == nil && !c.in.broken {
			c.join([20]byte(hs[28:48]))
		}
		return
	}
	p := c.getPeer()
	if p == nil || !seg.end {
		return
	}
	switch m := seg.m; m.id {
	case pp.Have:
		if len(m.payload) == 4 {
			c.src.gotHave(p, int(binary.BigEndian.Uint32(m.payload)))
		}
	case pp.Bitfield:
		c.src.gotBitfield(p, m.payload, false)
	case pp.HaveAll:
		c.src.gotBitfield(p, nil, true)
	}
}

func (c *Conn) join(infoHash [20]byte) {
	p := c.src.join(infoHash, c.queueHave)
	c.pmu.Lock()
	c.peer = p
	c.pmu.Unlock()
}

// Write passes the source's bytes on, except its opening Bitfield or
// HaveAll, which become "nothing", and its Allowed Fast set, which is
// dropped; offered Haves go out at the next message boundary. Writes
// with nothing to hide (all but the first few) go out as they are, so
// the source's piece data is not copied.
func (c *Conn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	p := c.getPeer()
	var segs []segment
	hiding := false
	// The framer holds a message header back until it is whole; then b
	// is not what goes out as it is.
	held := c.out.holding()
	c.out.feed(b, func(seg segment) {
		segs = append(segs, seg)
		hiding = hiding || (p != nil && seg.inMsg && hidden(seg.m.id))
	})
	out := b
	if hiding || held || c.out.holding() {
		out = c.rewrite(p, segs)
	}
	if _, err := c.Conn.Write(out); err != nil {
		return 0, err
	}
	if pending := c.takePending(nil); len(pending) > 0 {
		if _, err := c.Conn.Write(pending); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// rewrite joins segs into what goes out, replacing the hidden messages
// (only where p is super-seeded) and, once the opening
// bitfield has been replaced, lets the source queue its first offers.
func (c *Conn) rewrite(p *peer, segs []segment) []byte {
	var out []byte
	started := false
	for _, seg := range segs {
		switch {
		case p == nil || !seg.inMsg || !hidden(seg.m.id):
			out = append(out, seg.b...)
		case seg.end:
			out = append(out, replacement(seg.m)...)
			started = started || seg.m.id != pp.AllowedFast
		}
	}
	if started {
		c.src.start(p) // queues the first offers, which Write sends next
	}
	return out
}

// hidden messages tell what the source holds; the peer must learn that
// from offers only.
func hidden(id pp.MessageType) bool {
	return id == pp.Bitfield || id == pp.HaveAll || id == pp.AllowedFast
}

// replacement is what a hidden message becomes: an empty bitfield of the
// same length, HaveNone for HaveAll, nothing for Allowed Fast.
func replacement(m msg) []byte {
	switch m.id {
	case pp.Bitfield:
		b := make([]byte, 4+m.length)
		binary.BigEndian.PutUint32(b, uint32(m.length))
		b[4] = byte(pp.Bitfield)
		return b
	case pp.HaveAll:
		return []byte{0, 0, 0, 1, byte(pp.HaveNone)}
	}
	return nil
}

// queueHave is how Source offers piece i to this peer; called with the
// Source's lock held, so it only queues.
func (c *Conn) queueHave(i int) {
	c.pmu.Lock()
	c.pending = binary.BigEndian.AppendUint32(append(c.pending, 0, 0, 0, 5, byte(pp.Have)), uint32(i))
	c.pmu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// takePending appends the queued Haves to out if the stream is at a
// message boundary. Call with wmu held.
func (c *Conn) takePending(out []byte) []byte {
	if !c.out.atBoundary() {
		return out
	}
	c.pmu.Lock()
	defer c.pmu.Unlock()
	out = append(out, c.pending...)
	c.pending = c.pending[:0]
	return out
}

// flushLoop writes offers made while the source was not writing (the
// peer's Have arrived on the read side).
func (c *Conn) flushLoop() {
	for {
		select {
		case <-c.closed:
			return
		case <-c.wake:
		}
		c.wmu.Lock()
		if out := c.takePending(nil); len(out) > 0 {
			c.Conn.Write(out) // an error shows on anacrolix's next write
		}
		c.wmu.Unlock()
	}
}

// Close closes the socket and forgets the peer's pieces and offers.
func (c *Conn) Close() error {
	c.once.Do(func() {
		close(c.closed)
		if p := c.getPeer(); p != nil {
			c.src.leave(p)
		}
	})
	return c.Conn.Close()
}
