// Package fairness decides when a torrent may upload so that users give
// back about as much as they took and no more. It is pure: callers feed it
// counters and clocks and apply the decision to the torrent engine.
//
// Rules, in order of precedence (Decide):
//
//  1. Exempt torrents (the publisher's own, or marked unlimited) are always
//     "exempt" and upload freely, whatever the completion policy says: a
//     publisher that stopped seeding would strand its swarm.
//  2. Complete torrents follow Config.OnComplete: "seed" uploads forever,
//     "stop" is "done" at once, "seed-to-ratio" is "active" until the ratio
//     reaches Target and "done" from then on (no heartbeat once done). When
//     fairness is disabled "seed-to-ratio" behaves as "seed", because the
//     user switched ratio keeping off; "stop" still stops.
//  3. Fairness disabled: "off", upload allowed.
//  4. Incomplete torrents: "choking" when ratio > Target+Hysteresis,
//     "active" when ratio < Target-Hysteresis; in between the previous
//     state is kept so the decision does not flap around the target. With
//     no usable previous state, the band chokes only above Target.
//     While choking, a heartbeat window ("heartbeat", upload allowed) opens
//     every HeartbeatPeriod after the start of the last one and lasts
//     HeartbeatWindow, so peers keep us in their peer lists. The first
//     period counts from when choking began; a window opens when it is
//     found due, not back-dated; if the clock went back, one opens at once.
//
// Ratio is Uploaded/Downloaded. With nothing downloaded it is 0 if nothing
// was uploaded either and +Inf otherwise, so a fresh leecher would be
// choked at its first byte and a new swarm, where everyone starts at zero,
// could never trade. Hence the bootstrap allowance: an incomplete torrent
// may upload while Uploaded < Config.Allowance, whatever its ratio.
//
// A complete torrent with nothing downloaded (its data was already on
// disk) measures "seed-to-ratio" against its Size instead, as Transmission
// does; otherwise it would count as over target at its first byte and stop
// seeding at once.
//
// How far past Target a ratio can end (the allowance). The engine decides
// once per sample interval I and applies the decision to all of a
// torrent's peers, so after the ratio crosses Target+Hysteresis uploads go
// on for up to I at rate U, plus whatever the upload limiter's burst B let
// through at once after an idle spell. Each heartbeat window adds W·U + B,
// once per period P while over target. For a download of D bytes taking T:
//
//	ratio ≤ Target + Hysteresis + (I·U + B + ⌈T/P⌉·(W·U + B)) / D
//
// plus the chunks already queued when a choke lands (under one piece).
// The heartbeat's long-run share is W/P of U (1/15 with the defaults).
// engine/swarm_test.go checks this bound on a real six-node swarm.
package fairness

import (
	"math"
	"time"
)

// Mode is what a torrent's uploads are doing.
type Mode string

// Modes.
const (
	Active    Mode = "active"    // uploading, under target
	Choking   Mode = "choking"   // over target
	Heartbeat Mode = "heartbeat" // over target, inside the periodic unchoke window
	Exempt    Mode = "exempt"    // never limited
	Off       Mode = "off"       // fairness disabled
	Done      Mode = "done"      // complete and finished seeding: stop uploading
)

// Completion is what a torrent does once complete. The strings match the
// engine's OnComplete* settings so they convert directly.
type Completion string

// Completion policies.
const (
	SeedToRatio Completion = "seed-to-ratio"
	Seed        Completion = "seed"
	Stop        Completion = "stop"
)

// Defaults.
const (
	DefaultTarget          = 1.0
	DefaultHysteresis      = 0.02
	DefaultHeartbeatPeriod = 30 * time.Second
	DefaultHeartbeatWindow = 2 * time.Second
	DefaultAllowance       = 256 << 10
)

// Config is the user's fairness policy.
type Config struct {
	Enabled bool
	// Target is the upload:download ratio to hold. NaN or negative means
	// DefaultTarget; +Inf never chokes.
	Target float64
	// Hysteresis is the half-width of the band around Target inside which
	// the previous decision stands. NaN or negative means 0.
	Hysteresis float64
	// HeartbeatPeriod and HeartbeatWindow: while choking, uploads reopen
	// for Window every Period. Either ≤ 0 disables heartbeats.
	HeartbeatPeriod time.Duration
	HeartbeatWindow time.Duration
	// OnComplete is the completion policy; unknown values mean SeedToRatio.
	OnComplete Completion
	// Allowance is how many bytes an incomplete torrent may upload
	// regardless of its ratio (bootstrap for new swarms).
	Allowance int64
}

// DefaultConfig is the policy a new installation starts with.
func DefaultConfig() Config {
	return Config{
		Enabled:         true,
		Target:          DefaultTarget,
		Hysteresis:      DefaultHysteresis,
		HeartbeatPeriod: DefaultHeartbeatPeriod,
		HeartbeatWindow: DefaultHeartbeatWindow,
		OnComplete:      SeedToRatio,
		Allowance:       DefaultAllowance,
	}
}

// Input is one torrent's state at the moment of deciding. The engine keeps
// the previous Decision's Mode, Since and LastHeartbeat and feeds them back.
type Input struct {
	Now time.Time
	// Uploaded and Downloaded are lifetime payload bytes.
	Uploaded, Downloaded int64
	Size                 int64 // torrent length, ≤ 0 if unknown; see seed-to-ratio
	Complete             bool
	Exempt               bool
	Prev                 Mode      // previous Decision.Mode; "" at first
	PrevSince            time.Time // previous Decision.Since
	LastHeartbeat        time.Time // previous Decision.LastHeartbeat
}

// Decision is what the engine applies and shows.
type Decision struct {
	Mode        Mode
	AllowUpload bool
	Ratio       float64 // the ratio decided on (Size-based when seeding data from disk)
	// Since is when Mode began.
	Since time.Time
	// LastHeartbeat is when the current heartbeat period started: the
	// start of the last window, or the moment choking began.
	LastHeartbeat time.Time
	Reason        string // one line for the UI
}

// Decide applies the policy to one torrent. See the package comment.
func Decide(c Config, in Input) Decision {
	c = c.normalized()
	in.Uploaded, in.Downloaded = max(in.Uploaded, 0), max(in.Downloaded, 0)
	switch {
	case in.Exempt:
		r := ratio(in.Uploaded, in.Downloaded)
		return settle(in, Exempt, r, "exempt: never choked")
	case in.Complete:
		return completed(c, in)
	case !c.Enabled:
		return settle(in, Off, ratio(in.Uploaded, in.Downloaded), "off: fairness disabled")
	}
	return leeching(c, in)
}

// ratio is uploaded/downloaded, with nothing downloaded giving 0 when
// nothing was uploaded and +Inf otherwise.
func ratio(uploaded, downloaded int64) float64 {
	switch {
	case downloaded > 0:
		return float64(uploaded) / float64(downloaded)
	case uploaded > 0:
		return math.Inf(1)
	}
	return 0
}

func (c Config) normalized() Config {
	if math.IsNaN(c.Target) || c.Target < 0 {
		c.Target = DefaultTarget
	}
	if math.IsNaN(c.Hysteresis) || c.Hysteresis < 0 {
		c.Hysteresis = 0
	}
	switch c.OnComplete {
	case SeedToRatio, Seed, Stop:
	default:
		c.OnComplete = SeedToRatio
	}
	c.Allowance = max(c.Allowance, 0)
	return c
}

// settle fills in the bookkeeping common to every decision.
func settle(in Input, m Mode, r float64, reason string) Decision {
	since := in.PrevSince
	if m != in.Prev || since.IsZero() || in.Now.Before(since) {
		since = in.Now
	}
	return Decision{
		Mode:          m,
		AllowUpload:   m != Choking && m != Done,
		Ratio:         r,
		Since:         since,
		LastHeartbeat: in.LastHeartbeat,
		Reason:        reason,
	}
}
