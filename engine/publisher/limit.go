package publisher

import (
	"net"
	"net/http"
	"sync"
)

// clientLimit admits at most max distinct clients (remote IPs) at once. It
// counts clients, not requests, because one anacrolix client keeps several
// web seed requests in flight and should not be refused by itself.
type clientLimit struct {
	max    int
	mu     sync.Mutex
	active map[string]int // in-flight requests per remote IP
}

func newClientLimit(max int) *clientLimit {
	if max <= 0 {
		return nil // unlimited
	}
	return &clientLimit{max: max, active: make(map[string]int)}
}

// acquire admits a request from client, which must later be released. A
// nil limit admits everything.
func (l *clientLimit) acquire(client string) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.active[client] == 0 && len(l.active) >= l.max {
		return false
	}
	l.active[client]++
	return true
}

func (l *clientLimit) release(client string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.active[client]--; l.active[client] <= 0 {
		delete(l.active, client)
	}
}

// clientOf keys a request by remote IP; ports differ per connection.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
