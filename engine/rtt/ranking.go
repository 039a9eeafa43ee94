package rtt

import (
	"cmp"
	"math"
	"slices"
	"time"
)

const (
	// NeutralRTT scores a peer whose RTT is unknown. It is a fixed value
	// rather than the median of the other candidates so that a peer's
	// score depends on that peer alone (Score stays a pure function of
	// one Candidate, and measuring one peer never reorders the others),
	// and 100 ms sits between same-continent (~20-60 ms) and
	// intercontinental (~150-300 ms) paths, so not answering pings is
	// neither rewarded nor punished much.
	NeutralRTT = 100 * time.Millisecond
	// RefRate is the download rate that earns half the rate term: about
	// one upload slot of a residential peer.
	RefRate = 256 << 10 // bytes/s
)

// Candidate is one live connection as the keep/drop policy sees it.
type Candidate struct {
	ID        string
	RTT       time.Duration // 0 = unknown
	DownRate  float64       // bytes/s
	Useful    bool          // has pieces we need
	Connected time.Duration // time since the connection was made
	Protected bool          // publisher's source node or web seed: never dropped
}

// Score rates a candidate; higher is better.
//
//	rttTerm  = NeutralRTT / (NeutralRTT + RTT)   in (0, 1]; 0.5 at 100 ms or unknown
//	rateTerm = DownRate / (DownRate + RefRate)   in [0, 1]; 0.5 at 256 KiB/s
//	Score    = useful + (rttTerm + rateTerm) / 2 where useful is 1 or 0
//
// Both terms saturate, so halving the RTT is worth about as much as
// doubling the rate near the reference points and no single huge value
// dominates. The quality part stays within [0, 1], so any useful peer
// outranks any useless one. Connected and Protected are not scored: they
// constrain dropping, not preference.
func Score(c Candidate) float64 {
	useful := 0.0
	if c.Useful {
		useful = 1
	}
	return useful + (rttTerm(c.RTT)+rateTerm(c.DownRate))/2
}

func rttTerm(d time.Duration) float64 {
	if d <= 0 {
		d = NeutralRTT
	}
	return float64(NeutralRTT) / float64(NeutralRTT+d)
}

// rateTerm treats NaN and negative rates as zero so Score is always a
// comparable number.
func rateTerm(r float64) float64 {
	switch {
	case !(r > 0):
		return 0
	case math.IsInf(r, 1):
		return 1
	}
	return r / (r + RefRate)
}

// Rank returns a copy of cs, best first; equal scores are ordered by ID
// so the result does not depend on input order.
func Rank(cs []Candidate) []Candidate {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b Candidate) int {
		if c := cmp.Compare(Score(b), Score(a)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// WorstToDrop names the lowest-ranked candidate that may be dropped: not
// protected and connected for longer than grace, so a fresh connection
// gets time to prove itself before it is judged.
func WorstToDrop(cs []Candidate, grace time.Duration) (string, bool) {
	ranked := Rank(cs)
	for i := len(ranked) - 1; i >= 0; i-- {
		c := ranked[i]
		if !c.Protected && c.Connected > grace {
			return c.ID, true
		}
	}
	return "", false
}

// DialOrder returns a copy of addrs with the lowest known RTT first and
// unknown (absent or non-positive) after; equal keys keep input order.
func DialOrder(addrs []string, known map[string]time.Duration) []string {
	out := slices.Clone(addrs)
	key := func(a string) time.Duration {
		if d := known[a]; d > 0 {
			return d
		}
		return math.MaxInt64
	}
	slices.SortStableFunc(out, func(a, b string) int {
		return cmp.Compare(key(a), key(b))
	})
	return out
}
