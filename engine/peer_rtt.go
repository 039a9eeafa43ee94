package engine

import (
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/anacrolix/torrent"

	"fairshare/engine/rtt"
)

// sourcePreference orders the sources by how much of what they measure
// is the path itself: our ping crosses the same connection the data
// does; ICE and kernel TCP measure below BitTorrent; request latency
// includes the peer's queue and disk, so it is the last resort.
var sourcePreference = []rtt.Source{rtt.SourcePing, rtt.SourceICE, rtt.SourceTCP, rtt.SourceRequest}

// estimateFresh is how long a source's estimate stands without a new
// sample before the next source in sourcePreference is shown instead.
const estimateFresh = 30 * time.Second

// rttBook is the session's per-peer RTT state. anacrolix callbacks run
// with the client lock held and take only mu; code holding mu never
// calls into anacrolix, so the two locks are never taken in the other
// order.
type rttBook struct {
	mu    sync.Mutex
	peers map[*torrent.Peer]*peerRTT
	// known is the latest RTT per dialable address: measured this
	// session, or loaded from the state file at start.
	known map[string]time.Duration
	// swapped is when each address was last dialled to replace a peer,
	// so an address that does not answer is not chosen again at once.
	swapped map[string]time.Time
	// addrs are each torrent's dialable addresses (by hex info hash):
	// from its source's x.pe and from every peer seen connected. anacrolix
	// keeps tracker and PEX addresses to itself (KnownSwarm reads them
	// without its lock), so those count only once they have connected.
	addrs map[string]map[string]struct{}
	// webSeeds are request-latency estimates per web seed host.
	webSeeds map[string]*webSeedRTT
}

type peerRTT struct {
	conn     *torrent.PeerConn
	added    time.Time
	dialAddr string // where the peer accepts connections; "" if unknown
	pingable bool
	pinger   rtt.Pinger
	est      map[rtt.Source]*rtt.Estimator
	requests requestProbe
	// Download counter at the last ranking, for the rate between rankings.
	rateAt    time.Time
	rateBytes int64
}

func newRTTBook(known map[string]time.Duration) *rttBook {
	if known == nil {
		known = make(map[string]time.Duration)
	}
	return &rttBook{
		peers:    make(map[*torrent.Peer]*peerRTT),
		known:    known,
		swapped:  make(map[string]time.Time),
		addrs:    make(map[string]map[string]struct{}),
		webSeeds: make(map[string]*webSeedRTT),
	}
}

// track registers a new connection. Outgoing TCP connections are dialled
// at their RemoteAddr; incoming ones learn their listen port later from
// the extended handshake.
func (b *rttBook) track(pc *torrent.PeerConn, now time.Time) {
	st := &peerRTT{conn: pc, added: now, est: make(map[rtt.Source]*rtt.Estimator)}
	if pc.Network == "tcp4" || pc.Network == "tcp6" {
		st.dialAddr = pc.RemoteAddr.String()
	}
	b.mu.Lock()
	b.peers[&pc.Peer] = st
	b.addAddrsLocked(pc.Torrent().InfoHash().HexString(), st.dialAddr)
	b.mu.Unlock()
}

// learnListenPort gives an incoming peer a dial address from the port its
// extended handshake advertised.
func (b *rttBook) learnListenPort(pc *torrent.PeerConn, port int) {
	host, _, err := net.SplitHostPort(pc.RemoteAddr.String())
	if err != nil || port <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if st := b.peers[&pc.Peer]; st != nil && st.dialAddr == "" {
		st.dialAddr = net.JoinHostPort(host, strconv.Itoa(port))
		b.addAddrsLocked(pc.Torrent().InfoHash().HexString(), st.dialAddr)
	}
}

// forget drops a closed peer, remembering its RTT under its dial address
// for later dial and swap decisions.
func (b *rttBook) forget(p *torrent.Peer, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.peers[p]
	if st == nil {
		return
	}
	b.rememberLocked(st, now)
	delete(b.peers, p)
}

func (b *rttBook) rememberLocked(st *peerRTT, now time.Time) {
	if st.dialAddr == "" {
		return
	}
	if e, ok := st.best(now); ok {
		b.known[st.dialAddr] = e.Display()
	}
}

// add folds one sample from source into p's estimate.
func (b *rttBook) add(p *torrent.Peer, source rtt.Source, now time.Time, d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if st := b.peers[p]; st != nil {
		st.estimator(source).Add(now, d)
	}
}

func (st *peerRTT) estimator(source rtt.Source) *rtt.Estimator {
	e := st.est[source]
	if e == nil {
		e = &rtt.Estimator{Source: source}
		st.est[source] = e
	}
	return e
}

// best is the estimate to show and act on: the most preferred source
// with a fresh estimate, else the most preferred with any.
func (st *peerRTT) best(now time.Time) (rtt.Estimate, bool) {
	var fallback rtt.Estimate
	found := false
	for _, src := range sourcePreference {
		e, ok := st.est[src]
		if !ok || e.Estimate().Samples == 0 {
			continue
		}
		est := e.Estimate()
		if !est.Stale(now, estimateFresh) {
			return est, true
		}
		if !found {
			fallback, found = est, true
		}
	}
	return fallback, found
}

// estimate is p's current estimate for the snapshot.
func (b *rttBook) estimate(p *torrent.Peer, now time.Time) (rtt.Estimate, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.peers[p]
	if st == nil {
		return rtt.Estimate{}, false
	}
	return st.best(now)
}

// knownRTTs copies the per-address RTTs, live peers' latest included.
func (b *rttBook) knownRTTs(now time.Time) map[string]time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, st := range b.peers {
		b.rememberLocked(st, now)
	}
	out := make(map[string]time.Duration, len(b.known))
	for a, d := range b.known {
		out[a] = d
	}
	return out
}
