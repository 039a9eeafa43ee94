package rtt

import "time"

const (
	// UnknownDialRTT is what an address never measured is expected to
	// have when deciding whether to make room for it. It is optimistic on
	// purpose: a connection slower than SwapFactor×UnknownDialRTT (100 ms)
	// is traded for each untried address once, after which the address's
	// measured RTT is known and used instead, so exploration ends.
	UnknownDialRTT = NeutralRTT / 2
	// SwapFactor is how much faster an alternative must be expected to be
	// before a working connection is given up for it; the margin keeps two
	// similar peers from being swapped back and forth on noise.
	SwapFactor = 2
)

// Alternative is an address not connected now that could be dialled.
type Alternative struct {
	Addr string
	RTT  time.Duration // measured earlier; 0 = never measured
}

// Swap decides, for a torrent at its connection limit, which peer to drop
// and which address to dial in its place. The peer is WorstToDrop's
// choice; it is traded only when its RTT is known and an alternative is
// expected to be at least SwapFactor times faster. A peer whose RTT is
// unknown is never dropped on RTT grounds: there is nothing to compare.
// Among equally fast alternatives the first listed wins.
func Swap(connected []Candidate, alts []Alternative, grace time.Duration) (drop, dial string, ok bool) {
	drop, ok = WorstToDrop(connected, grace)
	if !ok {
		return "", "", false
	}
	victim := victimRTT(connected, drop)
	best, bestRTT := "", time.Duration(0)
	for _, a := range alts {
		d := expectedRTT(a)
		if best == "" || d < bestRTT {
			best, bestRTT = a.Addr, d
		}
	}
	if victim <= 0 || best == "" || bestRTT*SwapFactor > victim {
		return "", "", false
	}
	return drop, best, true
}

func victimRTT(cs []Candidate, id string) time.Duration {
	for _, c := range cs {
		if c.ID == id {
			return c.RTT
		}
	}
	return 0
}

func expectedRTT(a Alternative) time.Duration {
	if a.RTT > 0 {
		return a.RTT
	}
	return UnknownDialRTT
}
