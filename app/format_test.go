package app

import (
	"testing"
	"time"
)

func TestFormatBytes(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{-1, "—"},
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.00 KiB"},
		{1536, "1.50 KiB"},
		{10 * 1024, "10.0 KiB"},
		{1023 * 1024, "1023 KiB"},
		{1024 * 1024, "1.00 MiB"},
		{1288490189, "1.20 GiB"},
		{5 << 40, "5.00 TiB"},
	} {
		if got := formatBytes(c.in); got != c.want {
			t.Errorf("formatBytes(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormatRateAndLimit(t *testing.T) {
	for _, c := range []struct {
		rate  float64
		limit int64
		want  string
	}{
		{0, 0, "0 B/s of unlimited"},
		{0.4, 0, "0 B/s of unlimited"},
		{512, 1024, "512 B/s of 1.00 KiB/s"},
		{1.2 * 1024 * 1024, 2 * 1024 * 1024, "1.20 MiB/s of 2.00 MiB/s"},
	} {
		if got := formatRateOf(c.rate, c.limit); got != c.want {
			t.Errorf("formatRateOf(%v, %d) = %q, want %q", c.rate, c.limit, got, c.want)
		}
	}
}

func TestFormatDurationAndETA(t *testing.T) {
	for _, c := range []struct {
		in   time.Duration
		want string
	}{
		{-1, "∞"},
		{0, "0s"},
		{1499 * time.Millisecond, "1s"},
		{59 * time.Second, "59s"},
		{200 * time.Second, "3m 20s"},
		{2*time.Hour + 5*time.Minute + 30*time.Second, "2h 05m"},
		{(4*24 + 3) * time.Hour, "4d 3h"},
	} {
		if got := formatETA(c.in); got != c.want {
			t.Errorf("formatETA(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormatRatio(t *testing.T) {
	for _, c := range []struct {
		ratio    float64
		down, up int64
		want     string
	}{
		{0, 0, 0, "—"},
		{0, 0, 100, "∞"},
		{0, 100, 0, "0.00"},
		{1.234, 1000, 1234, "1.23"},
	} {
		if got := formatRatio(c.ratio, c.down, c.up); got != c.want {
			t.Errorf("formatRatio(%v, %d, %d) = %q, want %q", c.ratio, c.down, c.up, got, c.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{-0.1, "0%"}, {0, "0%"}, {0.0006, "0.1%"}, {0.4216, "42.2%"},
		{0.9996, "99.9%"}, {1, "100%"},
	} {
		if got := formatPercent(c.in); got != c.want {
			t.Errorf("formatPercent(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormatRTT(t *testing.T) {
	for _, c := range []struct {
		rtt, rttVar time.Duration
		source      string
		want        string
	}{
		{0, 0, "ping", "—"},
		{0, 3 * time.Millisecond, "ping", "—"}, // a spread without a sample is not a reading
		{870 * time.Microsecond, 0, "", "0.9 ms"},
		{12 * time.Millisecond, 3 * time.Millisecond, "ping", "12 ms ±3 (ping)"},
		{12400 * time.Microsecond, 2600 * time.Microsecond, "ping", "12 ms ±3 (ping)"},
		{12 * time.Millisecond, 300 * time.Microsecond, "ping", "12 ms ±0.3 (ping)"},
		{4200 * time.Microsecond, 1300 * time.Microsecond, "ice", "4.2 ms ±1.3 (ice)"},
		{42 * time.Millisecond, 0, "tcp", "42 ms (tcp)"},
		{230 * time.Millisecond, 41 * time.Millisecond, "request", "230 ms ±41 (request)"},
	} {
		if got := formatRTT(c.rtt, c.rttVar, c.source); got != c.want {
			t.Errorf("formatRTT(%v, %v, %q) = %q, want %q", c.rtt, c.rttVar, c.source, got, c.want)
		}
	}
}

func TestFormatPeers(t *testing.T) {
	for _, c := range []struct {
		connected, known int
		want             string
	}{
		{0, 0, "0/0"},
		{6, 23, "6/23"},
		{1, 0, "1/1"}, // a web seed alone: connected, not in anacrolix's peer count
	} {
		if got := formatPeers(c.connected, c.known); got != c.want {
			t.Errorf("formatPeers(%d, %d) = %q, want %q", c.connected, c.known, got, c.want)
		}
	}
}
