package rtt

import "time"

// Source says how the samples behind an Estimate were taken, because the
// sources differ in what they include besides propagation delay.
type Source string

const (
	// SourcePing is our own fairshare_ping extension round trip.
	SourcePing Source = "ping"
	// SourceICE is a WebRTC ICE candidate-pair round trip.
	SourceICE Source = "ice"
	// SourceTCP is the kernel's TCP_INFO smoothed RTT.
	SourceTCP Source = "tcp"
	// SourceRequest is request→block latency of a third-party peer; it
	// includes the peer's queueing and disk time.
	SourceRequest Source = "request"
)

// Estimate is an immutable snapshot of an Estimator.
type Estimate struct {
	SRTT    time.Duration
	RTTVar  time.Duration
	Min     time.Duration // minimum over the estimator's window
	Samples int           // accepted samples, ever
	Last    time.Time     // time of the latest accepted sample
	Source  Source
}

// Stale reports whether the estimate is too old to act on: no sample
// ever, or none for longer than after. A clock that went backwards
// (now before Last) is not taken as evidence of staleness.
func (e Estimate) Stale(now time.Time, after time.Duration) bool {
	if e.Samples == 0 {
		return true
	}
	return now.Sub(e.Last) > after
}

// Display is the single number to show a user. Request latency is mostly
// queueing, which SRTT would average in; the windowed minimum is the
// closest a request-based source gets to the path's real RTT.
func (e Estimate) Display() time.Duration {
	if e.Source == SourceRequest {
		return e.Min
	}
	return e.SRTT
}
