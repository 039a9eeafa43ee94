package rtt

import (
	"testing"
	"time"
)

func TestSwap(t *testing.T) {
	const grace = 10 * time.Second
	old := 20 * time.Second
	slow := Candidate{ID: "slow", RTT: 120 * ms, Useful: true, Connected: old}
	fast := Candidate{ID: "fast", RTT: 5 * ms, Useful: true, Connected: old}
	tests := []struct {
		name      string
		connected []Candidate
		alts      []Alternative
		drop      string
		dial      string
	}{
		{"slow peer gives way to an untried address", []Candidate{slow}, []Alternative{{Addr: "a"}}, "slow", "a"},
		{"fast peer keeps its place against an untried address", []Candidate{fast}, []Alternative{{Addr: "a"}}, "", ""},
		{"measured slow alternative never replaces a fast peer", []Candidate{fast}, []Alternative{{Addr: "a", RTT: 120 * ms}}, "", ""},
		{"measured fast alternative replaces a slow peer", []Candidate{slow}, []Alternative{{Addr: "a", RTT: 5 * ms}}, "slow", "a"},
		{"less than twice as fast is not worth a swap", []Candidate{slow}, []Alternative{{Addr: "a", RTT: 61 * ms}}, "", ""},
		{"exactly twice as fast swaps", []Candidate{slow}, []Alternative{{Addr: "a", RTT: 60 * ms}}, "slow", "a"},
		{"fastest alternative is chosen", []Candidate{slow}, []Alternative{{Addr: "a", RTT: 40 * ms}, {Addr: "b", RTT: 10 * ms}, {Addr: "c"}}, "slow", "b"},
		{"ties keep list order", []Candidate{slow}, []Alternative{{Addr: "a"}, {Addr: "b"}}, "slow", "a"},
		{"no alternatives", []Candidate{slow}, nil, "", ""},
		{"victim with unknown RTT is kept", []Candidate{{ID: "x", Connected: old}}, []Alternative{{Addr: "a", RTT: ms}}, "", ""},
		{"young connection is kept", []Candidate{{ID: "slow", RTT: 200 * ms, Connected: grace}}, []Alternative{{Addr: "a"}}, "", ""},
		{"protected peer is kept", []Candidate{{ID: "src", RTT: 200 * ms, Connected: old, Protected: true}}, []Alternative{{Addr: "a"}}, "", ""},
		{"worst-ranked is the victim, not the slowest", []Candidate{
			{ID: "slow-but-useful", RTT: 200 * ms, Useful: true, Connected: old},
			{ID: "useless", RTT: 150 * ms, Connected: old},
		}, []Alternative{{Addr: "a"}}, "useless", "a"},
		{"victim's RTT decides even when a slower peer is protected", []Candidate{
			{ID: "src", RTT: 300 * ms, Connected: old, Protected: true},
			fast,
		}, []Alternative{{Addr: "a"}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drop, dial, ok := Swap(tt.connected, tt.alts, grace)
			if ok != (tt.drop != "") || drop != tt.drop || dial != tt.dial {
				t.Fatalf("Swap = (%q, %q, %v), want (%q, %q)", drop, dial, ok, tt.drop, tt.dial)
			}
		})
	}
}

// TestSwapSettles plays the limit-1 two-seed case to its end from either
// starting seed: at most one swap, then no more.
func TestSwapSettles(t *testing.T) {
	rtts := map[string]time.Duration{"near": 5 * ms, "far": 120 * ms}
	for _, start := range []string{"near", "far"} {
		t.Run(start, func(t *testing.T) {
			known := map[string]time.Duration{}
			cur, swaps := start, 0
			for step := 0; step < 10; step++ {
				known[cur] = rtts[cur]
				var alts []Alternative
				for a := range rtts {
					if a != cur {
						alts = append(alts, Alternative{Addr: a, RTT: known[a]})
					}
				}
				c := []Candidate{{ID: cur, RTT: known[cur], Useful: true, Connected: time.Minute}}
				if _, dial, ok := Swap(c, alts, time.Second); ok {
					cur = dial
					swaps++
				}
			}
			if cur != "near" || swaps > 1 {
				t.Fatalf("ended on %q after %d swaps, want near after at most 1", cur, swaps)
			}
		})
	}
}
