package engine

// Fairness wiring: each sample the session feeds every torrent's lifetime
// counters to fairness.Decide and applies the decision to anacrolix with
// Torrent.AllowDataUpload / DisallowDataUpload (which choke or unchoke all
// of the torrent's peers at once; anacrolix has no per-peer choke). The
// policy itself lives in engine/fairness. anacrolix's own per-peer 100 KiB
// rule is off because ClientConfig.Seed is set (see client.go).
//
// How far a leecher can overshoot its target, and why: the controller acts
// once per sample interval I (1 s; tests use 100 ms), so after the ratio
// crosses Target+Hysteresis uploads run for up to I more. While choking, a
// heartbeat window W opens every period P. With upload rate U and D bytes
// downloaded, an incomplete torrent that took T seconds ends with
//
//	ratio ≤ Target + Hysteresis + (I + ⌈T/P⌉·W)·U / D
//
// plus the chunks already queued when the choke lands (well under a piece).
// With the defaults (I 1 s, P 30 s, W 2 s, hysteresis 0.02) a 1 GiB
// download at 1 MiB/s up takes T ≥ 1024 s and ends at most
// 0.02 + (1 + 35·2)/1024 ≈ 0.09 over target; the heartbeat share is the
// W/P = 1/15 of U that keeps us in our peers' lists.

import (
	"fmt"
	"sync"
	"time"

	"github.com/anacrolix/torrent"
	pp "github.com/anacrolix/torrent/peer_protocol"

	"fairshare/engine/fairness"
)

// banFor is how long a peer that took more than 1.1 copies stays out.
const banFor = 30 * time.Minute

// Reasons a PeerSnapshot gives in Choked.
const (
	chokedFairness      = "fairness"       // our ratio is over target
	chokedDone          = "done"           // complete and finished seeding
	chokedBanned        = "banned"         // took more than 1.1 copies from us
	chokedNotInterested = "not interested" // it wants nothing we have
)

// fairWiring is the session-wide part: the peer guard and what peers told
// us about their interest (anacrolix keeps that unexported).
type fairWiring struct {
	guard *fairness.Guard

	mu sync.Mutex
	// interested is the last Interested/NotInterested a peer sent; a peer
	// starts not interested (BEP 3), so a missing entry means not.
	interested map[*torrent.PeerConn]bool
}

func newFairWiring() *fairWiring {
	return &fairWiring{
		guard:      fairness.NewGuard(fairness.DefaultGuardFactor, banFor),
		interested: make(map[*torrent.PeerConn]bool),
	}
}

// fairState is one torrent's controller state, owned by the sampler.
type fairState struct {
	prev    fairness.Decision
	applied *torrent.Torrent // the torrent allowed was last applied to
	allowed bool
	// taken is payload bytes each peer (by peer ID) took from us over all
	// its connections this session; sent is the per-connection counter
	// already added to it.
	taken map[string]int64
	sent  map[*torrent.PeerConn]int64
}

// configure hooks the wiring into a client config. Callbacks run with the
// client lock held, so they only touch our own state or hand off.
func (w *fairWiring) configure(cc *torrent.ClientConfig) {
	next := cc.Callbacks.ReadMessage
	cc.Callbacks.ReadMessage = func(pc *torrent.PeerConn, m *pp.Message) {
		w.noteInterest(pc, m)
		if next != nil {
			next(pc, m)
		}
	}
	cc.Callbacks.PeerConnAdded = append(cc.Callbacks.PeerConnAdded, func(pc *torrent.PeerConn) {
		if w.guard.Banned(time.Now(), peerKey(pc)) {
			go pc.Close() // Close takes the client lock we are called under
		}
	})
}

func (w *fairWiring) noteInterest(pc *torrent.PeerConn, m *pp.Message) {
	if m.Keepalive || (m.Type != pp.Interested && m.Type != pp.NotInterested) {
		return
	}
	w.mu.Lock()
	w.interested[pc] = m.Type == pp.Interested
	w.mu.Unlock()
}

// peerKey identifies a peer for the guard. The peer ID, not the IP: every
// user behind one NAT (and every peer on loopback) shares an IP, and an
// IP ban would punish them all for one client re-downloading. A peer that
// changes its ID evades the ban, but so could one that changes its IP.
func peerKey(pc *torrent.PeerConn) string {
	return string(pc.PeerID[:])
}

func policyConfig(st Settings) fairness.Config {
	c := fairness.DefaultConfig()
	c.Enabled = st.Fairness
	c.Target = st.TargetRatio
	c.HeartbeatPeriod, c.HeartbeatWindow = st.HeartbeatPeriod, st.HeartbeatWindow
	c.OnComplete = fairness.Completion(st.OnComplete)
	return c
}

// applyFairness decides for one torrent, applies the decision when t is
// running, guards its peers and fills ts.Fairness and each peer's Choked.
// Callers hold sampleMu.
func (s *Session) applyFairness(h *handle, t *torrent.Torrent, ts *TorrentSnapshot, st Settings, now time.Time) {
	s.mu.Lock()
	exempt := s.cfg.Publisher || h.rec.Publisher || h.rec.Unlimited
	s.mu.Unlock()
	c := policyConfig(st)
	if t == nil {
		ts.Fairness = FairnessState{Ratio: ts.Ratio, Target: c.Target, Reason: "paused"}
		return
	}
	d := fairness.Decide(c, fairness.Input{
		Now: now, Uploaded: ts.Uploaded, Downloaded: ts.Downloaded, Size: ts.Size,
		Complete: ts.State == StateSeeding, Exempt: exempt,
		Prev: h.fair.prev.Mode, PrevSince: h.fair.prev.Since, LastHeartbeat: h.fair.prev.LastHeartbeat,
	})
	h.fair.prev = d
	ts.Fairness = FairnessState{Mode: string(d.Mode), Ratio: d.Ratio, Target: c.Target, Reason: d.Reason}
	h.fair.apply(t, d.AllowUpload)
	var banned map[string]bool
	if !exempt {
		banned = s.fair.guardPeers(&h.fair, t, ts.Size, now)
	}
	s.fair.explainChoked(ts.Peers, t, d, banned)
}

func (f *fairState) apply(t *torrent.Torrent, allow bool) {
	if f.applied == t && f.allowed == allow {
		return
	}
	if allow {
		t.AllowDataUpload()
	} else {
		t.DisallowDataUpload()
	}
	f.applied, f.allowed = t, allow
}

// guardPeers drops every peer of t that took more than 1.1 copies from us
// over all its connections, or is banned, and returns their addresses.
func (w *fairWiring) guardPeers(f *fairState, t *torrent.Torrent, size int64, now time.Time) map[string]bool {
	if f.taken == nil {
		f.taken, f.sent = make(map[string]int64), make(map[*torrent.PeerConn]int64)
	}
	live := make(map[*torrent.PeerConn]bool)
	var banned map[string]bool
	for _, pc := range t.PeerConns() {
		live[pc] = true
		key := peerKey(pc)
		st := pc.Stats()
		up := st.BytesWrittenData.Int64()
		f.taken[key] += up - f.sent[pc]
		f.sent[pc] = up
		if w.guard.Check(now, key, f.taken[key], size) {
			pc.Close()
			if banned == nil {
				banned = make(map[string]bool)
			}
			banned[addrString(pc.RemoteAddr)] = true
		}
	}
	for pc := range f.sent {
		if !live[pc] {
			delete(f.sent, pc)
		}
	}
	return banned
}

// explainChoked says for each peer why we do not upload to it, and
// forgets the interest of t's connections that are gone.
func (w *fairWiring) explainChoked(peers []PeerSnapshot, t *torrent.Torrent, d fairness.Decision, banned map[string]bool) {
	idle := make(map[string]bool)
	conns := t.PeerConns() // takes the client lock: never while holding w.mu
	live := make(map[*torrent.PeerConn]bool, len(conns))
	w.mu.Lock()
	for _, pc := range conns {
		live[pc] = true
		if !w.interested[pc] {
			idle[addrString(pc.RemoteAddr)] = true
		}
	}
	for pc := range w.interested {
		if of := pc.Torrent(); (of == t && !live[pc]) || dropped(of) {
			delete(w.interested, pc)
		}
	}
	w.mu.Unlock()
	for i := range peers {
		p := &peers[i]
		p.Choked = chokeReason(p.Network, d.Mode, banned[p.Addr], idle[p.Addr])
	}
}

// dropped reports whether a torrent was dropped from the client (paused
// or removed): its connections' entries would otherwise stay forever.
func dropped(t *torrent.Torrent) bool {
	select {
	case <-t.Closed():
		return true
	default:
		return false
	}
}

// chokeReason is why we do not upload to a peer ("" when we do). Web
// seeds are servers: we never upload to them, and that needs no reason.
func chokeReason(n PeerNetwork, m fairness.Mode, banned, notInterested bool) string {
	switch {
	case n == NetworkWebSeed:
		return ""
	case banned:
		return chokedBanned
	case m == fairness.Choking:
		return chokedFairness
	case m == fairness.Done:
		return chokedDone
	case notInterested:
		return chokedNotInterested
	}
	return ""
}

// addrString matches PeerSnapshot.Addr.
func addrString(a torrent.PeerRemoteAddr) string {
	if a == nil {
		return "<nil>"
	}
	return a.String()
}

// SetUnlimited exempts a torrent from fairness (or stops exempting it),
// in memory and in the state file.
func (s *Session) SetUnlimited(infoHash string, unlimited bool) error {
	h, err := s.lookup(infoHash)
	if err != nil {
		return err
	}
	s.mu.Lock()
	h.rec.Unlimited = unlimited
	rec := h.rec
	s.mu.Unlock()
	if err := s.db.PutTorrent(rec); err != nil {
		return fmt.Errorf("saving the unlimited mark to %s: %w", s.db.Path(), err)
	}
	s.refresh()
	return nil
}
