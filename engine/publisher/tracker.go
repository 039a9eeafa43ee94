package publisher

import (
	"context"
	"net/netip"
	"sync"
	"time"

	g "github.com/anacrolix/generics"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/anacrolix/torrent/tracker"
	trackerServer "github.com/anacrolix/torrent/tracker/server"
	"github.com/anacrolix/torrent/tracker/udp"
)

const (
	// defaultInterval suits a LAN publisher: peers find each other quickly
	// and a few hundred announces a minute cost nothing.
	defaultInterval = 30 * time.Second
	// anacrolixMinInterval is the shortest reannounce interval anacrolix
	// v1.62 accepts from a tracker (client-tracker-announcer.go,
	// minAnnounceInterval): it waits a minute even when told 30 s.
	anacrolixMinInterval = time.Minute
)

// TrackerOptions configures NewTracker. The zero value is a LAN tracker
// with a 30 s interval and no source node.
type TrackerOptions struct {
	// Interval is the announce interval sent to peers, in whole seconds
	// (0 = 30 s). A peer is forgotten when not heard from for twice the
	// interval, but never sooner than 2 min: anacrolix clients reannounce
	// at most once a minute whatever the tracker says.
	Interval time.Duration
	// MinInterval is sent as "min interval" (0 = half of Interval); it is
	// raised to 1 s and capped at Interval.
	MinInterval time.Duration
	// SourceAddrs are the source node's own addresses. Leechers get them
	// first, before any announced peer, unless AllowSource says no. An
	// announced peer at one of these addresses is only ever returned as a
	// source, so the hook alone decides who sees the source node.
	SourceAddrs []netip.AddrPort
	// AllowSource decides whether requester may see SourceAddrs for
	// infoHash; nil allows everyone. It is called without the tracker's
	// lock held (so it may call Stats), once per announce and only when
	// the answer matters: the requester is a leecher and wants peers. A
	// "true" therefore means the requester was given the source, which
	// lets the hook count direct downloaders. It is also the place to
	// restrict the source to the info hashes it actually publishes.
	AllowSource func(requester netip.AddrPort, infoHash [20]byte) bool
	// Direct, when set, is the saturation threshold: SourceAddrs go only
	// to downloaders that hold (or can take) one of its slots, keyed by
	// peer ID. A downloader's slot is freed when it announces completion
	// or stops, or is forgotten.
	Direct *DirectSlots
	// Now replaces time.Now, for tests.
	Now func() time.Time
}

// Tracker is an in-memory swarm store implementing anacrolix's
// tracker/server AnnounceTracker. Serve it over HTTP with Handler.
type Tracker struct {
	interval    time.Duration
	minInterval time.Duration
	peerTTL     time.Duration
	sources     []netip.AddrPort
	allowSource func(netip.AddrPort, [20]byte) bool
	direct      *DirectSlots
	now         func() time.Time
	announce    *trackerServer.AnnounceHandler

	mu        sync.Mutex
	swarms    map[metainfo.Hash]*swarm
	lastSweep time.Time
}

var _ trackerServer.AnnounceTracker = (*Tracker)(nil)

// NewTracker returns an empty tracker.
func NewTracker(o TrackerOptions) *Tracker {
	t := &Tracker{
		interval:    normalInterval(o.Interval),
		allowSource: o.AllowSource,
		direct:      o.Direct,
		now:         o.Now,
		swarms:      make(map[metainfo.Hash]*swarm),
	}
	t.minInterval = normalMinInterval(o.MinInterval, t.interval)
	t.peerTTL = 2 * max(t.interval, anacrolixMinInterval)
	for _, a := range o.SourceAddrs {
		t.sources = append(t.sources, unmap(a))
	}
	if t.now == nil {
		t.now = time.Now
	}
	t.announce = &trackerServer.AnnounceHandler{AnnounceTracker: t}
	return t
}

func normalInterval(d time.Duration) time.Duration {
	if d <= 0 {
		return defaultInterval
	}
	// The wire format is whole seconds; 0 would make clients hammer us.
	return max(d.Round(time.Second), time.Second)
}

func normalMinInterval(d, interval time.Duration) time.Duration {
	if d <= 0 {
		d = interval / 2
	}
	return min(max(d.Round(time.Second), time.Second), interval)
}

// unmap turns IPv4-mapped IPv6 addresses into plain IPv4, so a peer has one
// key and anacrolix's server encodes it in "peers", not "peers6".
func unmap(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// TrackAnnounce records an announce. addr is the requester's IP with the
// announced port. Announces with port 0 are ignored: nobody could dial them.
func (t *Tracker) TrackAnnounce(ctx context.Context, req udp.AnnounceRequest, addr trackerServer.AnnounceAddr) error {
	if addr.Port() == 0 {
		return nil
	}
	addr = unmap(addr)
	done := t.trackLocked(req, addr, downloadedFrom(ctx))
	if done && t.direct != nil {
		// A finished or departed downloader frees its direct slot.
		id := [20]byte(req.PeerId)
		t.direct.Release(ClientKey(&id, addr.Addr()))
	}
	return nil
}

// trackLocked records the announce and says whether the peer no longer
// downloads (stopped, or seeding).
func (t *Tracker) trackLocked(req udp.AnnounceRequest, addr netip.AddrPort, downloaded int64) (done bool) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweepLocked(now)
	s := t.swarms[req.InfoHash]
	if s == nil {
		s = newSwarm()
		t.swarms[req.InfoHash] = s
	}
	s.noteDownloaded([20]byte(req.PeerId), downloaded)
	if req.Event == tracker.Stopped {
		delete(s.peers, addr)
		t.dropIfEmptyLocked(req.InfoHash, s)
		return true
	}
	s.announce(addr, req, now)
	return s.peers[addr].seeding()
}

// downloadedFrom is the announce's "downloaded" parameter, or -1.
func downloadedFrom(ctx context.Context) int64 {
	if aq, ok := ctx.Value(announceQueryKey{}).(announceQuery); ok {
		return aq.downloaded
	}
	return -1
}

// Scrape reports swarm sizes; anacrolix's HTTP handler has no /scrape
// endpoint, but the interface (and a UDP server) needs it.
func (t *Tracker) Scrape(_ context.Context, infoHashes []trackerServer.InfoHash) ([]udp.ScrapeInfohashResult, error) {
	ret := make([]udp.ScrapeInfohashResult, 0, len(infoHashes))
	for _, ih := range infoHashes {
		st := t.Stats(ih)
		ret = append(ret, udp.ScrapeInfohashResult{
			Seeders:   int32(st.Seeders),
			Completed: int32(st.Completed),
			Leechers:  int32(st.Leechers),
		})
	}
	return ret, nil
}

// GetPeers answers an announce. An unknown info hash gets an empty list,
// not an error, so a client that is early simply retries later.
func (t *Tracker) GetPeers(ctx context.Context, infoHash trackerServer.InfoHash, opts trackerServer.GetPeersOpts, remote trackerServer.AnnounceAddr) trackerServer.ServerAnnounceResult {
	q := requesterFrom(ctx, remote, opts)
	peers, seeders, leechers := t.choosePeers(infoHash, q)
	ret := trackerServer.ServerAnnounceResult{
		Interval: g.Some(int32(t.interval / time.Second)),
		Seeders:  g.Some(int32(seeders)),
		Leechers: g.Some(int32(leechers)),
	}
	for _, p := range peers {
		ret.Peers = append(ret.Peers, trackerServer.PeerInfo{AnnounceAddr: p})
	}
	return ret
}

// expireLocked forgets the swarm's silent peers, and the swarm if empty.
// It returns the swarm, or nil when there is none.
func (t *Tracker) expireLocked(ih metainfo.Hash, now time.Time) *swarm {
	s := t.swarms[ih]
	if s == nil {
		return nil
	}
	s.expire(now.Add(-t.peerTTL))
	if t.dropIfEmptyLocked(ih, s) {
		return nil
	}
	return s
}

// sweepLocked expires every swarm now and then, so info hashes nobody asks
// about any more do not pile up.
func (t *Tracker) sweepLocked(now time.Time) {
	if now.Sub(t.lastSweep) < t.interval {
		return
	}
	t.lastSweep = now
	for ih := range t.swarms {
		t.expireLocked(ih, now)
	}
}

// dropIfEmptyLocked forgets a swarm with no peers, unless it has completed
// downloads to report.
func (t *Tracker) dropIfEmptyLocked(ih metainfo.Hash, s *swarm) bool {
	if len(s.peers) > 0 || s.completed > 0 || len(s.downloaded) > 0 {
		return false
	}
	delete(t.swarms, ih)
	return true
}
