package fairness

import (
	"fmt"
	"math"
)

func underReason(c Config, r float64) string {
	if r < c.Target {
		return "active: ratio " + fmtRatio(r) + " < " + fmtRatio(c.Target)
	}
	// Above target but held by hysteresis: say when it will choke.
	return "active: ratio " + fmtRatio(r) + ", chokes above " + fmtRatio(c.Target+c.Hysteresis)
}

func overReason(c Config, m Mode, r float64) string {
	s := string(m) + ": ratio " + fmtRatio(r)
	if r >= c.Target {
		s += " ≥ " + fmtRatio(c.Target)
	} else {
		// Below target but held by hysteresis: say when it will resume.
		s += ", resumes below " + fmtRatio(c.Target-c.Hysteresis)
	}
	if m == Heartbeat {
		s += ", keep-alive window"
	}
	return s
}

func allowanceReason(uploaded, allowance int64) string {
	return "active: bootstrap allowance, " + fmtBytes(uploaded) + " of " + fmtBytes(allowance) + " used"
}

func fmtRatio(r float64) string {
	if math.IsInf(r, 1) {
		return "∞"
	}
	return fmt.Sprintf("%.2f", r)
}

func fmtBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
