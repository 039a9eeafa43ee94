package app

import (
	"time"

	"fairshare/engine"
)

// historyLen samples at one a second cover the chart's five minutes.
const historyLen = 300

// speedSeries holds one torrent's rates, oldest first.
type speedSeries struct{ down, up []float64 }

// speedHistory remembers recent rates of every torrent, so switching the
// selection shows a full chart at once instead of starting empty.
type speedHistory struct {
	series map[string]*speedSeries
	last   time.Time
}

func newSpeedHistory() *speedHistory {
	return &speedHistory{series: map[string]*speedSeries{}}
}

// record adds one sample per torrent. Extra snapshots within the same
// second (after a user action) are skipped so the x axis stays in seconds.
func (h *speedHistory) record(snap engine.Snapshot) {
	if !snap.Taken.IsZero() && !h.last.IsZero() && snap.Taken.Sub(h.last) < 900*time.Millisecond {
		return
	}
	h.last = snap.Taken
	seen := make(map[string]bool, len(snap.Torrents))
	for _, t := range snap.Torrents {
		seen[t.InfoHash] = true
		s := h.series[t.InfoHash]
		if s == nil {
			s = &speedSeries{}
			h.series[t.InfoHash] = s
		}
		s.down = pushSample(s.down, t.DownRate)
		s.up = pushSample(s.up, t.UpRate)
	}
	for hash := range h.series {
		if !seen[hash] {
			delete(h.series, hash) // removed torrents
		}
	}
}

func pushSample(xs []float64, v float64) []float64 {
	if len(xs) >= historyLen {
		xs = xs[len(xs)-historyLen+1:]
	}
	return append(xs, v)
}

// get returns the samples for a torrent (nil when unknown).
func (h *speedHistory) get(infoHash string) (down, up []float64) {
	if s := h.series[infoHash]; s != nil {
		return s.down, s.up
	}
	return nil, nil
}
