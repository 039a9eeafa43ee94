package wstracker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"
)

// conn is one peer's websocket. Its read loop handles messages one at a
// time; writes go through a bounded queue to a writer goroutine, so that
// the tracker never blocks on a slow peer while holding its lock.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	remote string
	active *atomic.Int64 // unix nanoseconds of the last frame received

	ctx    context.Context
	cancel context.CancelFunc

	// peerID and swarms are set by the read loop under s.mu; logID is
	// peerID in hex for log lines written from any goroutine.
	peerID    id
	hasPeerID bool
	swarms    map[id]bool
	logID     atomic.Pointer[string]

	offers   *rate.Limiter
	messages *rate.Limiter

	out    chan []byte
	queued atomic.Int64

	dropOnce sync.Once
}

// errDropped marks a connection closed by the tracker, already logged.
var errDropped = errors.New("dropped")

func newConn(s *Server, ws *websocket.Conn, remote string, active *atomic.Int64) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	touch(active)
	return &conn{
		s: s, ws: ws, remote: remote, active: active, ctx: ctx, cancel: cancel,
		swarms:   make(map[id]bool),
		offers:   rate.NewLimiter(rate.Limit(s.o.OfferRate), s.o.OfferBurst),
		messages: rate.NewLimiter(rate.Limit(s.o.MessageRate), s.o.MessageBurst),
		out:      make(chan []byte, 256),
	}
}

func (c *conn) run() {
	defer c.ws.CloseNow()
	defer c.s.release(c)
	defer c.cancel()
	go c.writeLoop()
	go c.watch()
	for {
		_, msg, err := c.ws.Read(c.ctx)
		if err != nil {
			c.readFailed(err)
			return
		}
		touch(c.active)
		if err := c.handle(msg); err != nil {
			c.drop(err.Error())
			return
		}
	}
}

// readFailed logs a message over the size limit; anything else is the
// peer going away (a close frame, EOF, a reset) or the tracker closing
// the connection, which needs no line.
func (c *conn) readFailed(err error) {
	if errors.Is(err, websocket.ErrMessageTooBig) {
		c.drop(fmt.Sprintf("message over %d bytes: %v", c.s.o.MaxMessageBytes, err))
		return
	}
	c.s.log.Debug("wstracker: connection ended", "remote", c.remote, "peer_id", c.peerIDString(), "err", err)
}

// drop closes the connection with one log line; later calls do nothing.
func (c *conn) drop(reason string) {
	c.dropOnce.Do(func() {
		c.s.dropped.Add(1)
		c.s.log.Warn("wstracker: closed connection", "remote", c.remote, "peer_id", c.peerIDString(), "reason", reason)
		c.cancel()
	})
}

func (c *conn) peerIDString() string {
	if p := c.logID.Load(); p != nil {
		return *p
	}
	return ""
}

// setPeerID records the peer ID of the first announce; callers hold s.mu.
func (c *conn) setPeerID(pid id) {
	if c.hasPeerID {
		return
	}
	c.peerID, c.hasPeerID = pid, true
	hex := pid.String()
	c.logID.Store(&hex)
}

func (c *conn) writeLoop() {
	for {
		select {
		case <-c.ctx.Done():
			return
		case b := <-c.out:
			ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
			err := c.ws.Write(ctx, websocket.MessageText, b)
			cancel()
			c.queued.Add(-int64(len(b)))
			if err != nil {
				c.drop(fmt.Sprintf("write: %v", err))
				return
			}
		}
	}
}

// watch pings the peer and closes the connection once nothing has
// arrived for IdleTimeout. Browsers answer pings on their own.
func (c *conn) watch() {
	every := c.s.o.IdleTimeout / 3
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		if time.Since(time.Unix(0, c.active.Load())) > c.s.o.IdleTimeout {
			c.drop("idle")
			return
		}
		ctx, cancel := context.WithTimeout(c.ctx, every)
		c.ws.Ping(ctx) // a pong arrives through OnPongReceived
		cancel()
	}
}

// send queues v for the peer without blocking; a peer that lets too much
// pile up is dropped.
func (c *conn) send(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.s.log.Error("wstracker: encoding a message", "err", err)
		return
	}
	if c.queued.Add(int64(len(b))) > c.s.o.MaxQueuedBytes {
		c.queued.Add(-int64(len(b)))
		c.drop("not reading its messages")
		return
	}
	select {
	case c.out <- b:
	default:
		c.queued.Add(-int64(len(b)))
		c.drop("not reading its messages")
	}
}
