package cli

import (
	"cmp"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/anacrolix/torrent/metainfo"

	"fairshare/engine"
	"fairshare/engine/publisher"
)

// peerSlotTTL is how long a direct slot taken over a peer connection lasts
// without news: the tracker's peer lifetime, since the holder refreshes it
// with every announce.
const peerSlotTTL = 2 * time.Minute

// newGate sets up the saturation threshold and the tracker that enforces
// it. The tracker hands out the source's peer address itself (the source
// does not announce: engine.Config.SelfServed), at the tracker's host.
func (p *publication) newGate(trackerBase string, mi *metainfo.MetaInfo, o *publishOptions) {
	info, _ := mi.UnmarshalInfo() // Build just made it
	k := o.maxDirect
	switch {
	case k == 0:
		k = publisher.DefaultMaxDirect(o.upLimit*1024, info.PieceLength)
	case k < 0:
		k = 0 // DirectSlots: unlimited
	}
	slots := publisher.NewDirectSlots(k, nil)
	p.tracker = publisher.NewTracker(publisher.TrackerOptions{
		SourceAddrs: p.sourceAddrs(trackerBase),
		// p.gate is set below, before the tracker serves anybody.
		AllowSource: func(a netip.AddrPort, ih [20]byte) bool { return p.gate.AllowSource(a, ih) },
		Direct:      slots,
	})
	p.gate = publisher.NewGate(slots, p.tracker)
}

// sourceAddrs is the source's peer address as downloaders must dial it:
// the host they reach the tracker at, and the session's peer port.
func (p *publication) sourceAddrs(trackerBase string) []netip.AddrPort {
	u, err := url.Parse(trackerBase)
	if err != nil {
		return nil
	}
	_, portStr, err := net.SplitHostPort(p.session.ListenAddr())
	if err != nil {
		return nil
	}
	port, _ := strconv.Atoi(portStr)
	ips, err := net.LookupIP(u.Hostname())
	if err != nil {
		return nil
	}
	var ret []netip.AddrPort
	for _, ip := range ips {
		if a, ok := netip.AddrFromSlice(ip); ok {
			ret = append(ret, netip.AddrPortFrom(a.Unmap(), uint16(port)))
		}
	}
	return ret
}

// admitPeer keeps the source's peer connections to direct clients; before
// the gate exists nobody can have connected.
func (p *publication) admitPeer(id [20]byte, addr netip.AddrPort) bool {
	if p.gate == nil {
		return true
	}
	return p.gate.Mode() != publisher.ModePeersOnly && p.gate.AllowPeer(id, addr.Addr(), peerSlotTTL)
}

// updateMode recomputes the source's state from the swarm and applies it:
// in S2 the source chokes its peers, drops and refuses leechers (see
// Session.DropLeechers), and the tracker and web seed send Fairshare
// clients to peers; back in S1/S0 it serves again and dials leechers.
func (p *publication) updateMode() {
	view := p.session.SourceView(p.ih)
	p.gate.SetConnected(view.PeerIDs)
	ih := metainfo.NewHashFromHex(p.ih)
	sw := p.tracker.Stats(ih)
	if sw.Seeders >= p.copies || p.gate.Mode() == publisher.ModePeersOnly {
		// S2 rests on these seeders: make sure they are still there.
		p.forgetDeadSeeders(ih, sw)
		sw = p.tracker.Stats(ih)
	}
	withData := 0
	for _, pe := range sw.Peers {
		if pe.Seeder || (pe.Left > 0 && pe.Left < p.size()) {
			withData++
		}
	}
	sv := publisher.SwarmView{
		Seeders:          max(sw.Seeders, view.Seeds),
		PeersWithData:    max(withData, view.PeersWithData),
		SourceOnlyPieces: view.SourceOnlyPieces,
	}
	if sv.Seeders > 0 {
		// A seeder holds every piece, wherever it is connected.
		sv.SourceOnlyPieces = 0
	}
	m := publisher.ModeFor(sv, p.copies)
	if m != p.gate.Mode() {
		p.session.SetUploadAllowed(p.ih, m != publisher.ModePeersOnly)
		p.gate.SetMode(m)
	}
	if m != publisher.ModePeersOnly {
		p.session.AddPeers(p.ih, p.fillSlots(sw, view))
		return
	}
	p.session.DropLeechers(p.ih)
}

// fillSlots picks leechers for the source to dial when direct slots are
// free: a completed download frees a slot, but the leechers the tracker
// turned away would only hear of the source at their next announce (a
// minute for anacrolix) and their web seed is suspended for a minute after
// the 503, so the source's upload would idle. Those with the least data
// go first: a newcomer gains most from a piece only the source can give.
func (p *publication) fillSlots(sw publisher.SwarmStats, view engine.SourceView) []netip.AddrPort {
	st := p.gate.Slots().Stats()
	free := st.Max - len(st.Holders)
	if st.Max == 0 || free <= 0 {
		return nil
	}
	connected := make(map[[20]byte]bool, len(view.PeerIDs))
	for _, id := range view.PeerIDs {
		connected[id] = true
	}
	var cands []publisher.PeerEntry
	for _, pe := range sw.Peers {
		id := pe.PeerID
		if !pe.Seeder && !connected[id] && !p.gate.Slots().Holds(publisher.ClientKey(&id, pe.Addr.Addr())) {
			cands = append(cands, pe)
		}
	}
	slices.SortFunc(cands, func(a, b publisher.PeerEntry) int { return cmp.Compare(b.Left, a.Left) })
	var ret []netip.AddrPort
	for _, pe := range cands[:min(free, len(cands))] {
		ret = append(ret, pe.Addr)
	}
	return ret
}

func (p *publication) size() int64 {
	info, err := p.mi.UnmarshalInfo()
	if err != nil {
		return 0
	}
	return info.TotalLength()
}

// probeTimeout bounds the liveness check of one seeder.
const probeTimeout = time.Second

// forgetDeadSeeders drops seeders whose peer port refuses connections: a
// downloader that exited without announcing "stopped" (anacrolix does not
// always get to send it) would otherwise keep the source in S2 for the
// tracker's two-minute peer lifetime while leechers starve.
func (p *publication) forgetDeadSeeders(ih metainfo.Hash, sw publisher.SwarmStats) {
	var wg sync.WaitGroup
	for _, pe := range sw.Peers {
		if !pe.Seeder {
			continue
		}
		wg.Add(1)
		go func(addr netip.AddrPort) {
			defer wg.Done()
			c, err := net.DialTimeout("tcp", addr.String(), probeTimeout)
			if err != nil {
				p.tracker.Forget(ih, addr)
				return
			}
			c.Close()
		}(pe.Addr)
	}
	wg.Wait()
}
