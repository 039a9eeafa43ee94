package latencyproxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"
)

func TestStartRejectsNegativeDelay(t *testing.T) {
	if p, err := Start("127.0.0.1:1", -time.Millisecond); err == nil {
		p.Close()
		t.Fatal("Start accepted a negative delay")
	}
}

func TestRoundTripAddsDelay(t *testing.T) {
	const added = 50 * time.Millisecond
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr(), added)
	c := dial(t, p.Addr())

	msg := []byte("ping")
	buf := make([]byte, len(msg))
	best := time.Hour
	for range 5 {
		start := time.Now()
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		rtt := time.Since(start)
		if rtt < added {
			t.Fatalf("round trip %v shorter than the added %v", rtt, added)
		}
		best = min(best, rtt)
	}
	if best > added+10*time.Millisecond {
		t.Fatalf("best round trip %v, want %v ± 10ms", best, added)
	}
}

// TestDelayIsSplitEvenly measures one direction alone: a server that
// speaks first is heard after half the added round trip, not all of it.
func TestDelayIsSplitEvenly(t *testing.T) {
	const added = 100 * time.Millisecond
	srv := startServer(t, func(c *net.TCPConn) { c.Write([]byte{1}) })
	p := startProxy(t, srv.addr(), added)

	start := time.Now()
	c := dial(t, p.Addr())
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	if got := time.Since(start); got < added/2 || got >= added {
		t.Fatalf("one-way delay %v, want about %v", got, added/2)
	}
}

func TestThroughputPreserved(t *testing.T) {
	const size = 4 << 20
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr(), 100*time.Millisecond)
	c := dial(t, p.Addr())

	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	start := time.Now()
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		werr <- err
	}()
	got := make([]byte, size)
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
	// One chunk per delay would need 128 chunks × 50 ms = 6.4 s each way.
	if elapsed >= 2*time.Second {
		t.Fatalf("4 MiB echo took %v, want < 2s", elapsed)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("echoed data differs")
	}
	// The proxy counts after its Write returns, which can be just after
	// our read completes.
	deadline := time.Now().Add(time.Second)
	for {
		up, down := p.BytesForwarded()
		if up == size && down == size {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("BytesForwarded = %d, %d; want %d, %d", up, down, size, size)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestHalfClosePropagates needs both halves: the server sees EOF only if
// the client's CloseWrite is passed on, and can still answer afterwards.
func TestHalfClosePropagates(t *testing.T) {
	srv := startServer(t, func(c *net.TCPConn) {
		n, _ := io.Copy(io.Discard, c)
		fmt.Fprintf(c, "got %d", n)
	})
	p := startProxy(t, srv.addr(), 20*time.Millisecond)
	c := dial(t, p.Addr())
	c.SetDeadline(time.Now().Add(5 * time.Second))

	if _, err := c.Write(make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(reply) != "got 1000" {
		t.Fatalf("reply %q, want %q", reply, "got 1000")
	}
}

func TestUnreachableTargetClosesClient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()

	p := startProxy(t, dead, 0)
	c := dial(t, p.Addr())
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := c.Read(make([]byte, 1))
	var ne net.Error
	if n != 0 || err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		t.Fatalf("Read = %d, %v; want the connection closed", n, err)
	}
}

func TestCloseCleansUp(t *testing.T) {
	srv := startServer(t, echo)
	// The baseline includes the server's accept loop but none of its
	// per-connection handlers: those end only if the proxy really closed
	// its side of every pair.
	before := runtime.NumGoroutine()
	p, err := Start(srv.addr(), 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	// Some connections idle, some with data parked in the delay queue.
	var conns []net.Conn
	for i := range 4 {
		c := dial(t, p.Addr())
		if i%2 == 0 {
			c.Write(make([]byte, 64<<10))
		}
		conns = append(conns, c)
	}
	time.Sleep(20 * time.Millisecond) // let the proxy accept and dial

	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return: live connections were not dropped")
	}
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadAll(c); err != nil && !isReset(err) {
			t.Fatalf("conn %d after Close: %v, want EOF or reset", i, err)
		}
		c.Close()
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
	if c, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		c.Close()
		t.Fatal("proxy still accepting after Close")
	}
	checkNoLeak(t, before)
}

func isReset(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}
