package publisher

import (
	"encoding/hex"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// PeerIDHeader is sent by Fairshare clients with every web seed request:
// it carries their BitTorrent peer ID in hex, so the web seed can tell
// downloaders apart behind one IP (NAT, loopback) and match them to their
// tracker announces and peer connections.
const PeerIDHeader = "X-Fairshare-Peer-Id"

// webSeedSlotTTL is how long a web seed client that never announces keeps
// its slot after its last request. anacrolix waits up to 10 s after a
// failed request, so 30 s covers a pause without holding a slot forever.
const webSeedSlotTTL = 30 * time.Second

// Gate decides who the source node serves directly. The tracker, the web
// seed and the source's peer connections all ask it, so the threshold K
// (its DirectSlots) and the mode apply to every way of reaching the source.
type Gate struct {
	slots   *DirectSlots
	tracker *Tracker // may be nil: no IP→peer ID matching
	mode    atomic.Int32

	mu        sync.Mutex
	connected map[[20]byte]bool // peer IDs on the source's peer connections
}

// NewGate gates the source with slots; tracker, when not nil, lets web seed
// clients without PeerIDHeader be matched to announced peers by IP.
func NewGate(slots *DirectSlots, tracker *Tracker) *Gate {
	return &Gate{slots: slots, tracker: tracker}
}

// Slots is the gate's threshold.
func (g *Gate) Slots() *DirectSlots { return g.slots }

// SetMode records the source's current mode.
func (g *Gate) SetMode(m Mode) { g.mode.Store(int32(m)) }

// Mode is the mode last set.
func (g *Gate) Mode() Mode { return Mode(g.mode.Load()) }

// SetConnected records the peer IDs the source has peer connections with.
func (g *Gate) SetConnected(ids [][20]byte) {
	m := make(map[[20]byte]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	g.mu.Lock()
	g.connected = m
	g.mu.Unlock()
}

func (g *Gate) isConnected(id [20]byte) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.connected[id]
}

// AllowSource is the tracker's AllowSource hook: in S2 newcomers get peers
// only. The slot itself is taken by the tracker (TrackerOptions.Direct).
func (g *Gate) AllowSource(netip.AddrPort, [20]byte) bool {
	return g.Mode() != ModePeersOnly
}

// AllowPeer says whether the source keeps a peer connection with peerID:
// only direct clients, so that a leecher that learnt the source's address
// through PEX cannot bypass the threshold. The slot lasts as long as the
// tracker's, and is refreshed while the connection lives.
func (g *Gate) AllowPeer(peerID [20]byte, ip netip.Addr, ttl time.Duration) bool {
	return g.slots.Admit(ClientKey(&peerID, ip), ttl)
}

// WebSeedVerdict is the web seed's answer for one request.
type WebSeedVerdict int

const (
	WebSeedServe WebSeedVerdict = iota
	// WebSeedFull: all K slots are taken by others.
	WebSeedFull
	// WebSeedUsePeers: a Fairshare client that can get the data from peers
	// (the mode is S2) or already gets it from the source's peer
	// connection; serving it over HTTP too would send the same bytes twice.
	WebSeedUsePeers
)

// AllowWebSeed decides a web seed request. Clients are identified by
// PeerIDHeader when they send it; otherwise by a peer ID announced from
// their IP that already holds a slot, or else by their IP alone.
func (g *Gate) AllowWebSeed(r *http.Request) WebSeedVerdict {
	ip := remoteIP(r)
	id, fromHeader := headerPeerID(r)
	if fromHeader && (g.Mode() == ModePeersOnly || g.isConnected(id)) {
		return WebSeedUsePeers
	}
	key := g.webSeedKey(id, fromHeader, ip)
	if !g.slots.Admit(key, webSeedSlotTTL) {
		return WebSeedFull
	}
	return WebSeedServe
}

// KeepServing says whether a response under way should go on: a Fairshare
// client that has meanwhile connected to the source over BitTorrent (or
// can use peers, in S2) gets the rest there, so the source never sends
// the same bytes twice. anacrolix keeps large range requests open, so
// checking only at the start would not be enough.
func (g *Gate) KeepServing(r *http.Request) bool {
	id, fromHeader := headerPeerID(r)
	return !fromHeader || (g.Mode() != ModePeersOnly && !g.isConnected(id))
}

func (g *Gate) webSeedKey(id [20]byte, fromHeader bool, ip netip.Addr) string {
	if fromHeader {
		return ClientKey(&id, ip)
	}
	if g.tracker != nil {
		for _, pid := range g.tracker.PeerIDsAt(ip) {
			if k := ClientKey(&pid, ip); g.slots.Holds(k) {
				return k
			}
		}
	}
	return ClientKey(nil, ip)
}

func headerPeerID(r *http.Request) (id [20]byte, ok bool) {
	b, err := hex.DecodeString(r.Header.Get(PeerIDHeader))
	if err != nil || len(b) != len(id) {
		return id, false
	}
	copy(id[:], b)
	return id, true
}

func remoteIP(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}
