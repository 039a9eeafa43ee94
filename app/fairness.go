package app

import (
	"fmt"
	"strings"

	"fairshare/engine"
)

// fairnessModes is the order modes are listed in a summary: the ones that
// hold uploads back first, since those are what a user asks about.
var fairnessModes = []string{"choking", "heartbeat", "active", "done", "exempt", "off"}

// fairnessSummary is the status bar's one line about the fairness
// controller: the decision itself when one torrent has one ("choking:
// ratio 1.02 ≥ 1.00"), a count per mode when several do, and the setting
// until the controller has decided anything.
func fairnessSummary(ts []engine.TorrentSnapshot, st engine.Settings) string {
	if !st.Fairness {
		return "Fairness: off"
	}
	counts := map[string]int{}
	var decided []engine.FairnessState
	for _, t := range ts {
		if t.Fairness.Mode != "" {
			decided = append(decided, t.Fairness)
			counts[t.Fairness.Mode]++
		}
	}
	switch len(decided) {
	case 0:
		return fmt.Sprintf("Fairness: on, target %.2f", st.TargetRatio)
	case 1:
		return "Fairness: " + fairnessText(decided[0])
	}
	var parts []string
	for _, mode := range fairnessModes {
		if n := counts[mode]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, mode))
			delete(counts, mode)
		}
	}
	if n := sumCounts(counts); n > 0 { // modes newer than this list
		parts = append(parts, fmt.Sprintf("%d other", n))
	}
	return "Fairness: " + strings.Join(parts, ", ")
}

// fairnessText is one torrent's decision: the engine's reason, or its
// mode and ratio when it gave none.
func fairnessText(f engine.FairnessState) string {
	switch {
	case f.Reason != "":
		return f.Reason
	case f.Mode == "":
		return dash
	case f.Target > 0:
		return fmt.Sprintf("%s: ratio %.2f, target %.2f", f.Mode, f.Ratio, f.Target)
	}
	return f.Mode
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
