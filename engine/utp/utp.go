// Package utp stands in for github.com/anacrolix/go-utp, which the Go module
// proxy available to Fairshare does not serve. anacrolix/torrent imports it
// unconditionally, so this module provides the exact surface anacrolix uses.
//
// The socket is a plain UDP socket: the DHT shares it for its own packets, so
// DHT keeps working. uTP itself is not implemented: Accept blocks until Close
// and DialContext fails at once with ErrUnsupported. Fairshare sets
// ClientConfig.DisableUTP, so anacrolix never dials or accepts through it.
package utp

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
)

// Default names this implementation in anacrolix's error messages.
const Default = "udp-only (no uTP)"

// ErrUnsupported is returned by DialContext: this build carries no uTP.
var ErrUnsupported = errors.New("uTP is not supported by this build; use TCP or WebRTC")

// FirewallCallback matches go-utp's: it returns true to block a remote address.
type FirewallCallback = func(net.Addr) bool

// Option configures a Socket.
type Option func(*options)

type options struct {
	logger *slog.Logger
}

// WithLogger sets the logger; the stub logs nothing today but keeps the API.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// Socket is the surface of go-utp's socket that anacrolix uses.
type Socket interface {
	net.PacketConn
	Accept() (net.Conn, error)
	Addr() net.Addr
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
	SetFirewallCallback(FirewallCallback)
}

// NewSocket opens a UDP socket on addr.
func NewSocket(network, addr string, opts ...Option) (Socket, error) {
	pc, err := net.ListenPacket(network, addr)
	if err != nil {
		return nil, err
	}
	return NewSocketFromPacketConn(pc, opts...)
}

// NewSocketFromPacketConn wraps an existing packet conn.
func NewSocketFromPacketConn(pc net.PacketConn, opts ...Option) (Socket, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return &socket{PacketConn: pc, closed: make(chan struct{})}, nil
}

type socket struct {
	net.PacketConn
	closeOnce sync.Once
	closed    chan struct{}
}

func (s *socket) Addr() net.Addr { return s.LocalAddr() }

func (s *socket) Accept() (net.Conn, error) {
	<-s.closed
	return nil, net.ErrClosed
}

func (s *socket) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return nil, &net.OpError{Op: "dial", Net: network, Err: ErrUnsupported}
}

func (s *socket) SetFirewallCallback(FirewallCallback) {}

func (s *socket) Close() error {
	s.closeOnce.Do(func() { close(s.closed) })
	return s.PacketConn.Close()
}
