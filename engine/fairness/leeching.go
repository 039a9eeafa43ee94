package fairness

import "time"

// leeching decides for an incomplete torrent under an enabled policy.
func leeching(c Config, in Input) Decision {
	r := ratio(in.Uploaded, in.Downloaded)
	if in.Uploaded < c.Allowance {
		return settle(in, Active, r, allowanceReason(in.Uploaded, c.Allowance))
	}
	if !overTarget(c, r, in.Prev) {
		return settle(in, Active, r, underReason(c, r))
	}
	m, last := pulse(c, in.Prev, in.Now, in.LastHeartbeat)
	d := settle(in, m, r, overReason(c, m, r))
	d.LastHeartbeat = last
	return d
}

// overTarget applies the hysteresis band: outside it the ratio decides,
// inside it the previous state stands.
func overTarget(c Config, r float64, prev Mode) bool {
	switch {
	case r > c.Target+c.Hysteresis:
		return true
	case r < c.Target-c.Hysteresis:
		return false
	case prev == Choking || prev == Heartbeat:
		return true
	case prev == Active:
		return false
	}
	return r > c.Target
}

// pulse chooses between choking and a heartbeat window for a torrent over
// target, and returns the start of the current heartbeat period.
func pulse(c Config, prev Mode, now, last time.Time) (Mode, time.Time) {
	if c.HeartbeatPeriod <= 0 || c.HeartbeatWindow <= 0 {
		return Choking, last
	}
	if prev != Choking && prev != Heartbeat {
		// Peers were served until now. Counting from an old heartbeat
		// would open a pointless window the moment choking starts.
		return Choking, now
	}
	if now.Before(last) {
		// The clock went back (e.g. changed while we were stopped), so
		// the time since the last window is unknown. Open one now rather
		// than starve peers for the length of the jump.
		return Heartbeat, now
	}
	elapsed := now.Sub(last)
	switch {
	case elapsed >= c.HeartbeatPeriod:
		// The window starts when it is actually opened, not when it was
		// due: after a long gap between decisions a back-dated window
		// would already be over.
		return Heartbeat, now
	case prev == Heartbeat && elapsed < c.HeartbeatWindow:
		return Heartbeat, last
	}
	return Choking, last
}
