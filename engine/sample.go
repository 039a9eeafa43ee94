package engine

import (
	"errors"
	"sort"
	"time"

	"github.com/anacrolix/torrent"
)

// flushEvery is how many samples pass between writes of the lifetime
// counters; Close and Pause write them too.
const flushEvery = 10

// Snapshot returns the latest immutable view of the session, at most one
// sample interval old.
func (s *Session) Snapshot() Snapshot {
	if p := s.snap.Load(); p != nil {
		return *p
	}
	return Snapshot{}
}

func (s *Session) sampleLoop() {
	defer s.wg.Done()
	interval := s.cfg.SampleInterval
	if interval <= 0 {
		interval = time.Second
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
		s.refresh()
		if n%flushEvery == 0 {
			s.flushAll()
		}
	}
}

// handles lists every handle in a stable order (by date added).
func (s *Session) handles() []*handle {
	s.mu.Lock()
	defer s.mu.Unlock()
	hs := make([]*handle, 0, len(s.torrents))
	for _, h := range s.torrents {
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool {
		a, b := hs[i].rec, hs[j].rec
		if !a.Added.Equal(b.Added) {
			return a.Added.Before(b.Added)
		}
		return a.InfoHash < b.InfoHash
	})
	return hs
}

// refresh samples every torrent's counters and publishes a new snapshot.
func (s *Session) refresh() {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	now := time.Now()
	st := s.Settings()
	snap := Snapshot{
		Taken:      now,
		DownLimit:  st.DownLimitKiB * 1024,
		UpLimit:    st.UpLimitKiB * 1024,
		ListenAddr: s.ListenAddr(),
	}
	for _, h := range s.handles() {
		t := s.accrueRunning(h)
		ts := s.torrentSnapshot(h, t, now)
		s.applyFairness(h, t, &ts, st, now)
		snap.DownRate += ts.DownRate
		snap.UpRate += ts.UpRate
		snap.Torrents = append(snap.Torrents, ts)
	}
	s.snap.Store(&snap)
}

// accrue adds what a running torrent moved since the last sample to its
// lifetime counters. Callers hold sampleMu.
func (s *Session) accrue(h *handle, t *torrent.Torrent) {
	st := t.Stats()
	up, down := st.BytesWrittenData.Int64(), st.BytesReadUsefulData.Int64()
	if h.sampled != t {
		// A restarted torrent counts from zero again.
		h.sampled, h.seenUp, h.seenDown = t, 0, 0
	}
	dUp, dDown := up-h.seenUp, down-h.seenDown
	h.seenUp, h.seenDown = up, down
	h.unflushedUp += dUp
	h.unflushedDn += dDown
	h.sessionUp += dUp
	h.sessionDown += dDown
	s.mu.Lock()
	h.rec.Uploaded += dUp
	h.rec.Downloaded += dDown
	s.mu.Unlock()
	now := time.Now()
	h.upMeter.add(now, h.sessionUp)
	h.downMeter.add(now, h.sessionDown)
}

// accrueRunning accrues a handle's torrent if it is running and returns
// it (nil when not running). Callers hold sampleMu.
func (s *Session) accrueRunning(h *handle) *torrent.Torrent {
	s.mu.Lock()
	t := h.t
	s.mu.Unlock()
	if t != nil {
		s.accrue(h, t)
	}
	return t
}

// flushHandle writes a handle's unflushed counters. Callers hold sampleMu.
func (s *Session) flushHandle(h *handle) error {
	if h.unflushedUp == 0 && h.unflushedDn == 0 {
		return nil
	}
	if err := s.db.AddCounters(h.ih.HexString(), h.unflushedUp, h.unflushedDn); err != nil {
		return err
	}
	h.unflushedUp, h.unflushedDn = 0, 0
	return nil
}

// flushAll banks and writes every torrent's counters.
func (s *Session) flushAll() error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	var errs []error
	for _, h := range s.handles() {
		s.accrueRunning(h)
		errs = append(errs, s.flushHandle(h))
	}
	return errors.Join(errs...)
}

// SessionTotals are the payload bytes a torrent moved since this session
// started it, for the CLI's final report.
func (s *Session) SessionTotals(infoHash string) (up, down int64, err error) {
	h, err := s.lookup(infoHash)
	if err != nil {
		return 0, 0, err
	}
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	s.accrueRunning(h)
	return h.sessionUp, h.sessionDown, nil
}
