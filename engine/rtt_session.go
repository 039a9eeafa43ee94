package engine

import (
	"time"

	"github.com/anacrolix/torrent"
)

// saveRTTEvery is how many RTT ticks pass between saves of the
// per-address RTTs; Close saves them too.
const saveRTTEvery = 20

// configureRTT loads earlier sessions' per-address RTTs, creates the RTT
// book and hooks it into cc. A state file that cannot be read only costs
// the dial-order hint, so that error is logged, not returned.
func (s *Session) configureRTT(cc *torrent.ClientConfig) {
	known, err := s.db.PeerRTTs(time.Now())
	if err != nil {
		s.log.Warn("reading stored peer round-trip times", "err", err)
	}
	s.rtt = newRTTBook(known)
	s.rtt.addCallbacks(&cc.Callbacks)
	if s.cfg.PeersPerTorrent > 0 {
		cc.EstablishedConnsPerTorrent = s.cfg.PeersPerTorrent
	}
}

// rttLoop pings Fairshare peers, reads WebRTC round trips and applies the
// peer selection policy, once per ping interval.
func (s *Session) rttLoop() {
	defer s.wg.Done()
	defer s.saveRTTs()
	tick := time.NewTicker(s.pingInterval())
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
		s.rttTick(time.Now())
		if n%saveRTTEvery == 0 {
			s.saveRTTs()
		}
	}
}

func (s *Session) rttTick(now time.Time) {
	s.rtt.pingAll()
	s.probeWebSeeds(now)
	for _, h := range s.handles() {
		s.mu.Lock()
		t := h.t
		s.mu.Unlock()
		if t == nil {
			continue
		}
		s.rtt.sampleICE(t, now)
		s.rtt.sampleTCP(t, now, s.tcpRTT)
		if !s.cfg.NoRTTSelection {
			s.selectPeers(t, now)
		}
	}
}

func (s *Session) saveRTTs() {
	if err := s.db.PutPeerRTTs(s.rtt.knownRTTs(time.Now()), time.Now()); err != nil {
		s.log.Warn("saving peer round-trip times", "err", err)
	}
}

func (s *Session) pingInterval() time.Duration {
	if s.cfg.PingInterval > 0 {
		return s.cfg.PingInterval
	}
	return defaultPingInterval
}
