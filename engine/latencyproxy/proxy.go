package latencyproxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy forwards every connection accepted on Addr to a fixed target.
type Proxy struct {
	ln      net.Listener
	target  string
	oneWay  time.Duration
	ctx     context.Context // cancelled by Close to abort pending dials
	cancel  context.CancelFunc
	wg      sync.WaitGroup // every goroutine the proxy started
	up      atomic.Int64
	down    atomic.Int64
	mu      sync.Mutex
	closed  bool
	pairs   map[*pair]struct{}
	closeMu sync.Mutex // serialises Close so a second call waits for the first
}

// Start listens on 127.0.0.1:0 and forwards to target. addedRTT is the
// round-trip time the proxy adds: each direction is delayed by half of
// it, so a request/response exchange through the proxy takes addedRTT
// longer than a direct one, which is the number tests usually reason in.
func Start(target string, addedRTT time.Duration) (*Proxy, error) {
	if addedRTT < 0 {
		return nil, fmt.Errorf("latencyproxy: negative delay %v", addedRTT)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{
		ln:     ln,
		target: target,
		oneWay: addedRTT / 2,
		ctx:    ctx,
		cancel: cancel,
		pairs:  make(map[*pair]struct{}),
	}
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

// Addr is the host:port clients should dial instead of the target.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// BytesForwarded counts bytes written onward: up is client→target, down
// is target→client. Bytes still held back by the delay are not counted.
func (p *Proxy) BytesForwarded() (up, down int64) { return p.up.Load(), p.down.Load() }

// Close stops accepting, drops every live connection and returns once
// all of the proxy's goroutines have exited. Later calls return nil.
func (p *Proxy) Close() error {
	p.closeMu.Lock()
	defer p.closeMu.Unlock()
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	live := make([]*pair, 0, len(p.pairs))
	for pr := range p.pairs {
		live = append(live, pr)
	}
	p.mu.Unlock()

	err := p.ln.Close()
	p.cancel()
	for _, pr := range live {
		pr.abort()
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				// Transient accept errors (EMFILE) are not worth a busy
				// loop in a test tool; back off briefly.
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

// serve dials the target for one client and runs the pair to the end. A
// client whose target cannot be reached is simply closed, as a real
// middlebox would reset it.
func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	var d net.Dialer
	server, err := d.DialContext(p.ctx, "tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	pr := newPair(client, server)
	if !p.track(pr) {
		pr.abort()
		return
	}
	defer p.untrack(pr)
	pr.run(p.oneWay, &p.up, &p.down)
}

// track registers pr unless Close has begun, in which case Close would
// never see it and the caller must abort it.
func (p *Proxy) track(pr *pair) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.pairs[pr] = struct{}{}
	return true
}

func (p *Proxy) untrack(pr *pair) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pairs, pr)
}
