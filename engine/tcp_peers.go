package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/anacrolix/torrent"

	"fairshare/engine/ratelimit"
)

// Fairshare owns its TCP peer sockets instead of letting anacrolix open
// them, for two reasons. anacrolix refuses every new connection while its
// DownloadRateLimiter has no tokens (Torrent.newConnsAllowed), and a
// saturated cap — a web seed alone does it — keeps it there, so capped
// users never met peers. Owning the sockets lets anacrolix run with an
// unlimited limiter while our reads draw on the user's cap (s.down). And
// with the socket in hand the kernel's TCP RTT can be read (tcpRTT).

// tcpPeers is the session's TCP listeners and the open peer connections
// by remote address.
type tcpPeers struct {
	listeners []net.Listener
	mu        sync.Mutex
	conns     map[string]*net.TCPConn
}

// listenAttempts bounds the retries when port 0 picked for IPv4 is taken
// for IPv6 (anacrolix retries the same way).
const listenAttempts = 10

// listenTCP opens the TCP listeners anacrolix would have opened for cc
// (ListenHost per network, ListenPort, 0 = any, the same port for IPv4
// and IPv6), then turns anacrolix's own TCP off and points its UDP (DHT)
// at the same port. It does nothing when TCP is off.
func (s *Session) listenTCP(cc *torrent.ClientConfig) error {
	if cc.DisableTCP {
		return nil
	}
	var networks []string
	if !cc.DisableIPv4 {
		networks = append(networks, "tcp4")
	}
	if !cc.DisableIPv6 {
		networks = append(networks, "tcp6")
	}
	var err error
	for range listenAttempts {
		var retry bool
		s.tcp.listeners, retry, err = listenAll(networks, cc.ListenHost, cc.ListenPort)
		if !retry {
			break
		}
	}
	if err != nil {
		return err
	}
	if len(s.tcp.listeners) == 0 {
		return fmt.Errorf("no TCP listener: IPv4 and IPv6 are both off")
	}
	cc.DisableTCP = true
	cc.ListenPort = s.tcp.listeners[0].Addr().(*net.TCPAddr).Port
	return nil
}

// listenAll listens on each network at host:port. A network that fails
// is skipped (no IPv6 on this machine, an IPv6 host given for IPv4 ...)
// unless all fail; retry is true when port was 0 and the port the first
// listener got was taken on a later network.
func listenAll(networks []string, host func(string) string, port int) (ls []net.Listener, retry bool, err error) {
	lc := net.ListenConfig{KeepAlive: -1} // BitTorrent has its own keep-alives
	var firstErr error
	for _, n := range networks {
		p := port
		if len(ls) > 0 {
			p = ls[0].Addr().(*net.TCPAddr).Port
		}
		l, lerr := lc.Listen(context.Background(), n, net.JoinHostPort(host(n), strconv.Itoa(p)))
		if lerr == nil {
			ls = append(ls, l)
			continue
		}
		if len(ls) > 0 && port == 0 && errors.Is(lerr, syscall.EADDRINUSE) {
			for _, l := range ls {
				l.Close()
			}
			return nil, true, lerr
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("listening for peers on %s port %d: %w", n, port, lerr)
		}
	}
	if len(ls) == 0 {
		return nil, false, firstErr
	}
	return ls, false, nil
}

// addTCP hands the listeners, and a dialer per network, to the client.
func (s *Session) addTCP(dial bool) {
	for _, l := range s.tcp.listeners {
		s.client.AddListener(tcpListener{l, s})
		if dial {
			network := l.Addr().Network()
			if ip := l.Addr().(*net.TCPAddr).IP; ip.To4() != nil {
				network = "tcp4"
			} else if ip != nil {
				network = "tcp6"
			}
			s.client.AddDialer(tcpDialer{network: network, s: s})
		}
	}
}

// closeTCP closes the listeners; call it after the client has closed, or
// its accept loops spin on the errors.
func (s *Session) closeTCP() {
	for _, l := range s.tcp.listeners {
		l.Close()
	}
}

// tcpListener accepts peers on a listener of ours, their reads capped.
type tcpListener struct {
	net.Listener
	s *Session
}

func (l tcpListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.s.peerConn(c), nil
}

// tcpDialer dials peers the way anacrolix's TCP sockets do (one network,
// no Happy Eyeballs, no OS keep-alives), their reads capped.
type tcpDialer struct {
	network string
	s       *Session
}

func (d tcpDialer) DialerNetwork() string { return d.network }

func (d tcpDialer) Dial(ctx context.Context, addr string) (net.Conn, error) {
	nd := net.Dialer{FallbackDelay: -1, KeepAlive: -1}
	c, err := nd.DialContext(ctx, d.network, addr)
	if err != nil {
		return nil, err
	}
	return d.s.peerConn(c), nil
}

// peerConn wraps a new peer socket: reads draw on the download cap, and
// the socket is known by remote address (for tcpRTT) until it closes.
func (s *Session) peerConn(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if s.super != nil {
		c = s.super.Wrap(c)
	}
	if !ok {
		return ratelimit.NewConn(c, s.down)
	}
	// anacrolix sets no-linger on sockets it recognises as TCP; ours are
	// wrapped, so set it here: a dropped peer's socket closes at once.
	tc.SetLinger(0)
	key := c.RemoteAddr().String()
	s.tcp.mu.Lock()
	if s.tcp.conns == nil {
		s.tcp.conns = make(map[string]*net.TCPConn)
	}
	s.tcp.conns[key] = tc
	s.tcp.mu.Unlock()
	return &trackedConn{Conn: ratelimit.NewConn(c, s.down), forget: func() {
		s.tcp.mu.Lock()
		if s.tcp.conns[key] == tc {
			delete(s.tcp.conns, key)
		}
		s.tcp.mu.Unlock()
	}}
}

// trackedConn forgets its socket on Close.
type trackedConn struct {
	*ratelimit.Conn
	once   sync.Once
	forget func()
}

func (c *trackedConn) Close() error {
	c.once.Do(c.forget)
	return c.Conn.Close()
}

// tcpRTT is the kernel's smoothed RTT of the TCP connection to remote
// ("ip:port", as Peer.RemoteAddr prints it); false when there is no such
// connection or the OS does not report it (only Linux does).
func (s *Session) tcpRTT(remote string) (time.Duration, bool) {
	s.tcp.mu.Lock()
	tc := s.tcp.conns[remote]
	s.tcp.mu.Unlock()
	if tc == nil {
		return 0, false
	}
	return kernelRTT(tc)
}
