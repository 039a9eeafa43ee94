package latencyproxy

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// pair is one proxied connection: a client and the connection we dialed
// to the target for it.
type pair struct {
	client, server net.Conn
	done           chan struct{} // closed by abort
	once           sync.Once
}

func newPair(client, server net.Conn) *pair {
	return &pair{client: client, server: server, done: make(chan struct{})}
}

// run pumps both directions until each has ended, then closes both
// connections. A direction that ends cleanly only half-closes its
// destination, so the other direction keeps flowing.
func (pr *pair) run(oneWay time.Duration, up, down *atomic.Int64) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		pump(pr, pr.client, pr.server, oneWay, up)
	}()
	go func() {
		defer wg.Done()
		pump(pr, pr.server, pr.client, oneWay, down)
	}()
	wg.Wait()
	pr.abort()
}

// abort tears the pair down at once: closing both connections unblocks
// readers and writers, and done releases goroutines parked on a timer or
// a full queue. Safe to call from any goroutine, any number of times.
func (pr *pair) abort() {
	pr.once.Do(func() {
		close(pr.done)
		pr.client.Close()
		pr.server.Close()
	})
}
