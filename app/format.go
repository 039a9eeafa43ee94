package app

import (
	"fmt"
	"strings"
	"time"
)

// dash stands in for a value that is unknown or meaningless, so an empty
// cell never looks like a rendering bug.
const dash = "—"

// formatBytes prints a size in IEC units with three significant digits,
// which keeps table columns narrow and steady while values change.
func formatBytes(n int64) string {
	if n < 0 {
		return dash
	}
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return trimNumber(v) + " " + units[i]
}

// trimNumber keeps three significant digits: 1.23, 12.3, 123.
func trimNumber(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// formatRate prints a transfer rate given in bytes per second.
func formatRate(bytesPerSecond float64) string {
	if bytesPerSecond < 0.5 {
		return "0 B/s"
	}
	return formatBytes(int64(bytesPerSecond+0.5)) + "/s"
}

// formatLimit prints a global cap in bytes per second, where 0 means no cap.
func formatLimit(bytesPerSecond int64) string {
	if bytesPerSecond <= 0 {
		return "unlimited"
	}
	return formatRate(float64(bytesPerSecond))
}

// formatRateOf prints "rate of limit", the way the status bar shows how
// close a transfer is to its cap.
func formatRateOf(rate float64, limit int64) string {
	return formatRate(rate) + " of " + formatLimit(limit)
}

// formatDuration prints the two most significant units ("3m 20s",
// "2h 05m", "4d 3h"): more precision than that is noise for an ETA.
func formatDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm %02ds", s/60, s%60)
	case s < 86400:
		return fmt.Sprintf("%dh %02dm", s/3600, s%3600/60)
	default:
		return fmt.Sprintf("%dd %dh", s/86400, s%86400/3600)
	}
}

// formatETA prints the time left; the engine reports -1 when it cannot
// tell.
func formatETA(d time.Duration) string {
	if d < 0 {
		return "∞"
	}
	return formatDuration(d)
}

// formatRatio prints upload:download. The engine reports 0 when nothing was
// downloaded, which would wrongly read as "took without giving" for a
// publisher that only uploads, hence the byte counts.
func formatRatio(ratio float64, downloaded, uploaded int64) string {
	if downloaded <= 0 {
		if uploaded > 0 {
			return "∞"
		}
		return dash
	}
	return fmt.Sprintf("%.2f", ratio)
}

// formatPercent prints a 0..1 fraction; "100%" only when truly complete so
// a torrent one piece short never looks finished.
func formatPercent(f float64) string {
	switch {
	case f >= 1:
		return "100%"
	case f <= 0:
		return "0%"
	case f > 0.999:
		return "99.9%"
	default:
		return fmt.Sprintf("%.1f%%", f*100)
	}
}

// formatRTT prints a round-trip time with its spread and how it was
// measured ("12 ms ±3 (ping)"), or a dash while the engine has no sample
// yet. The spread tells a steady 40 ms link from a jittery one.
func formatRTT(rtt, rttVar time.Duration, source string) string {
	if rtt <= 0 {
		return dash
	}
	v := formatMillis(rtt, " ms")
	if rttVar > 0 {
		// The spread takes the RTT's precision, but never reads "±0".
		if rtt >= 10*time.Millisecond && rttVar >= time.Millisecond {
			rttVar = rttVar.Round(time.Millisecond)
		}
		v += " ±" + strings.TrimSuffix(formatMillis(rttVar, ""), ".0")
	}
	if source == "" {
		return v
	}
	return v + " (" + source + ")"
}

// formatMillis prints d in milliseconds, with a decimal below 10 ms where
// the fraction still matters.
func formatMillis(d time.Duration, unit string) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f%s", float64(d)/float64(time.Millisecond), unit)
	}
	return fmt.Sprintf("%d%s", d.Round(time.Millisecond)/time.Millisecond, unit)
}

// formatPeers prints connected/known peers. The engine counts web seeds
// as connected but anacrolix does not count them as known, and "1/0"
// reads as a bug, so known is never shown below connected.
func formatPeers(connected, known int) string {
	return fmt.Sprintf("%d/%d", connected, max(known, connected))
}

// formatList prints one item per line, or a dash for none.
func formatList(items []string) string {
	if len(items) == 0 {
		return dash
	}
	return strings.Join(items, "\n")
}
