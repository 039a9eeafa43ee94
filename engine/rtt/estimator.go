package rtt

import "time"

const (
	// DefaultWindow is the span Min is taken over when Estimator.Window
	// is zero: long enough to see through a minute of congestion.
	DefaultWindow = 60 * time.Second
	// MaxSample is the largest sample believed; anything longer is a
	// stalled request or a broken clock, not a round trip.
	MaxSample = 60 * time.Second
)

// Estimator smooths one peer's RTT samples as RFC 6298 does for TCP
// (alpha 1/8, beta 1/4) and tracks the windowed minimum. The zero value
// is ready to use. It is not safe for concurrent use: its owner (the
// per-peer state) serialises calls and hands out Estimate snapshots.
type Estimator struct {
	Source Source        // copied into every Estimate
	Window time.Duration // span of Min; 0 means DefaultWindow

	srtt    time.Duration
	rttvar  time.Duration
	samples int
	last    time.Time
	mins    minWindow
}

// Add folds in one sample taken at now. Samples outside (0, MaxSample]
// are dropped, and a now before the previous sample is treated as equal
// to it so a stepped-back wall clock cannot reorder the window.
func (e *Estimator) Add(now time.Time, sample time.Duration) {
	if sample <= 0 || sample > MaxSample {
		return
	}
	if e.samples > 0 && now.Before(e.last) {
		now = e.last
	}
	e.smooth(sample)
	e.samples++
	e.last = now
	e.mins.add(now, sample, e.window())
}

// smooth is RFC 6298 section 2: RTTVAR is updated from the old SRTT, and
// SRTT moves by exactly 1/8 of the sample's excess, which is what keeps
// one spike from dragging the estimate.
func (e *Estimator) smooth(r time.Duration) {
	if e.samples == 0 {
		e.srtt, e.rttvar = r, r/2
		return
	}
	e.rttvar = (3*e.rttvar + abs(e.srtt-r)) / 4
	e.srtt = (7*e.srtt + r) / 8
}

// Estimate returns a snapshot; Min is as of the latest sample.
func (e *Estimator) Estimate() Estimate {
	return Estimate{
		SRTT:    e.srtt,
		RTTVar:  e.rttvar,
		Min:     e.mins.min(),
		Samples: e.samples,
		Last:    e.last,
		Source:  e.Source,
	}
}

func (e *Estimator) window() time.Duration {
	if e.Window > 0 {
		return e.Window
	}
	return DefaultWindow
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
