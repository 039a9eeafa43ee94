package wstracker

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Server is an http.Handler that upgrades requests to websockets and runs
// the tracker protocol on them. Mount it at any path, e.g. "/".
type Server struct {
	o   Options
	log *slog.Logger

	mu        sync.Mutex
	swarms    map[id]*swarm
	conns     map[*conn]struct{}
	accepting int // connections admitted but not yet in conns
	closed    bool

	offersRelayed  atomic.Int64
	answersRelayed atomic.Int64
	dropped        atomic.Int64
}

// Stats are counters since the server started.
type Stats struct {
	Conns          int   // open websockets
	Swarms         int   // info hashes with at least one peer
	OffersRelayed  int64 // offers forwarded to a peer
	AnswersRelayed int64 // answers forwarded to the offering peer
	Dropped        int64 // connections closed for breaking the protocol or a bound
}

// SwarmStats counts the peers of one info hash: complete ones announced
// left=0.
type SwarmStats struct {
	Complete, Incomplete int
}

// New returns a tracker with o's bounds (zero fields take defaults).
func New(o Options) *Server {
	o = o.withDefaults()
	return &Server{o: o, log: o.Logger, swarms: make(map[id]*swarm), conns: make(map[*conn]struct{})}
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Conns:          len(s.conns),
		Swarms:         len(s.swarms),
		OffersRelayed:  s.offersRelayed.Load(),
		AnswersRelayed: s.answersRelayed.Load(),
		Dropped:        s.dropped.Load(),
	}
}

// Swarm counts the peers announcing infoHash.
func (s *Server) Swarm(infoHash [20]byte) SwarmStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st SwarmStats
	if sw := s.swarms[infoHash]; sw != nil {
		st.Complete, st.Incomplete = sw.counts()
	}
	return st
}

// Close disconnects every peer; later requests get 503. http.Server's
// Shutdown does not do it, because websockets are hijacked connections.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.cancel()
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.admit() {
		s.log.Warn("wstracker: refused a connection", "remote", r.RemoteAddr, "reason", "too many connections or closing")
		http.Error(w, "tracker busy, try again later", http.StatusServiceUnavailable)
		return
	}
	active := new(atomic.Int64)
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		// Pages on any site may use this tracker, as with any public
		// WebTorrent tracker.
		InsecureSkipVerify: true,
		CompressionMode:    websocket.CompressionDisabled,
		OnPingReceived:     func(context.Context, []byte) bool { touch(active); return true },
		OnPongReceived:     func(context.Context, []byte) { touch(active) },
	})
	if err != nil {
		s.admitted(nil)
		return // Accept has written the HTTP error
	}
	ws.SetReadLimit(s.o.MaxMessageBytes)
	c := newConn(s, ws, r.RemoteAddr, active)
	s.admitted(c)
	c.run()
}

// admit reserves a connection slot before the websocket handshake;
// admitted turns it into c, or frees it when c is nil.
func (s *Server) admit() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.conns)+s.accepting >= s.o.MaxConns {
		return false
	}
	s.accepting++
	return true
}

func (s *Server) admitted(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accepting--
	if c == nil {
		return
	}
	s.conns[c] = struct{}{}
	if s.closed {
		c.cancel()
	}
}

// release forgets c and its peers.
func (s *Server) release(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	for ih := range c.swarms {
		s.leaveLocked(c, ih)
	}
}

// leaveLocked removes c's peer from the swarm of ih, if it is still c's.
func (s *Server) leaveLocked(c *conn, ih id) {
	delete(c.swarms, ih)
	sw := s.swarms[ih]
	if sw == nil {
		return
	}
	if p := sw.peers[c.peerID]; p != nil && p.conn == c {
		sw.remove(p)
	}
	if len(sw.peers) == 0 {
		delete(s.swarms, ih)
	}
}

func touch(active *atomic.Int64) { active.Store(time.Now().UnixNano()) }
