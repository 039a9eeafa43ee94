package publisher

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"slices"

	g "github.com/anacrolix/generics"
	"github.com/anacrolix/torrent/metainfo"
	trackerServer "github.com/anacrolix/torrent/tracker/server"
)

// defaultMaxPeers applies when neither the server nor the client set a
// limit (anacrolix's HTTP handler always sets 200).
const defaultMaxPeers = 50

// requester is who asks for peers, as far as the tracker can tell.
type requester struct {
	addr   netip.AddrPort // IP of the connection, announced port
	peerID g.Option[[20]byte]
	left   int64 // -1 when unknown
	// stopped: the requester is leaving; it must not be given (and so
	// take a direct slot for) the source.
	stopped bool
	max     int // most peers to return
}

// requesterFrom combines what anacrolix passes to GetPeers with the query
// details only our HTTP wrapper sees (anacrolix drops numwant and peer_id).
func requesterFrom(ctx context.Context, remote netip.AddrPort, opts trackerServer.GetPeersOpts) requester {
	q := requester{addr: unmap(remote), left: -1, max: defaultMaxPeers}
	if opts.MaxCount.Ok {
		q.max = int(min(opts.MaxCount.Value, 1<<16))
	}
	if aq, ok := ctx.Value(announceQueryKey{}).(announceQuery); ok {
		q.peerID = g.Some(aq.peerID)
		q.left = aq.left
		q.stopped = aq.stopped
		if aq.numWant.Ok {
			q.max = min(q.max, aq.numWant.Value)
		}
	}
	return q
}

// swarmView is a copy of what choosePeers needs, taken under the lock so
// the policy hook can run without it.
type swarmView struct {
	seeders, leechers   []netip.AddrPort // dialable candidates, requester and sources excluded
	nSeeders, nLeechers int
	requesterSeeding    bool
}

// choosePeers is the one place deciding which peers a requester sees, in
// order: the source node's addresses (if AllowSource agrees), then seeders,
// then leechers. A seeder gets only leechers: seeders have nothing to give
// each other. Nobody gets itself back. It also returns the swarm's counts.
func (t *Tracker) choosePeers(ih metainfo.Hash, q requester) (peers []netip.AddrPort, seeders, leechers int) {
	v := t.viewFor(ih, q)
	if q.max <= 0 {
		return nil, v.nSeeders, v.nLeechers
	}
	if !v.requesterSeeding && !q.stopped {
		peers = append(peers, t.sourcesFor(q, ih)...)
		peers = append(peers, shuffled(v.seeders)...)
	}
	peers = append(peers, shuffled(v.leechers)...)
	if len(peers) > q.max {
		peers = peers[:q.max]
	}
	return peers, v.nSeeders, v.nLeechers
}

func (t *Tracker) viewFor(ih metainfo.Hash, q requester) swarmView {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := swarmView{requesterSeeding: q.left == 0}
	s := t.expireLocked(ih, t.now())
	if s == nil {
		return v
	}
	// The stored record is authoritative: a "completed" event marks a
	// seeder even when its "left" lagged.
	if rec, ok := s.peers[q.addr]; ok {
		v.requesterSeeding = rec.seeding()
	}
	for addr, rec := range s.peers {
		if rec.seeding() {
			v.nSeeders++
		} else {
			v.nLeechers++
		}
		if t.hiddenFrom(q, addr, rec) {
			continue
		}
		if rec.seeding() {
			v.seeders = append(v.seeders, addr)
		} else {
			v.leechers = append(v.leechers, addr)
		}
	}
	return v
}

// hiddenFrom says whether a stored peer must not appear in the ordinary
// lists: the requester itself (same address, or same peer ID from another
// address family), or the source node, which only the source path hands out.
func (t *Tracker) hiddenFrom(q requester, addr netip.AddrPort, rec *peerRecord) bool {
	if addr == q.addr || (q.peerID.Ok && rec.id == q.peerID.Value) {
		return true
	}
	return slices.Contains(t.sources, addr)
}

// sourcesFor returns the source addresses requester may see. The hook and
// the direct slots are asked only when there is something to give, so each
// "true" is a grant.
func (t *Tracker) sourcesFor(q requester, ih metainfo.Hash) []netip.AddrPort {
	var ret []netip.AddrPort
	for _, a := range t.sources {
		if a != q.addr {
			ret = append(ret, a)
		}
	}
	if len(ret) == 0 || (t.allowSource != nil && !t.allowSource(q.addr, ih)) {
		return nil
	}
	if t.direct != nil && !t.direct.Admit(q.key(), t.peerTTL) {
		return nil
	}
	return ret
}

// key is the requester's direct-slot key: its peer ID when it sent one.
func (q requester) key() string {
	if q.peerID.Ok {
		return ClientKey(&q.peerID.Value, q.addr.Addr())
	}
	return ClientKey(nil, q.addr.Addr())
}

// shuffled spreads load: with numwant below the swarm size, everyone would
// otherwise get the same few peers.
func shuffled(a []netip.AddrPort) []netip.AddrPort {
	rand.Shuffle(len(a), func(i, j int) { a[i], a[j] = a[j], a[i] })
	return a
}
