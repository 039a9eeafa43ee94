package fairness

import (
	"math"
	"testing"
	"time"
)

const (
	KiB = 1 << 10
	MiB = 1 << 20
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// edges has binary-exact thresholds (0.75 and 1.25) so rows can sit on them.
func edges() Config {
	c := DefaultConfig()
	c.Hysteresis = 0.25
	return c
}

func TestDecideHysteresis(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		up    int64
		down  int64
		prev  Mode
		want  Mode
		allow bool
	}{
		{"below band fresh", DefaultConfig(), 90 * MiB, 100 * MiB, "", Active, true},
		{"below band from choking", DefaultConfig(), 97 * MiB, 100 * MiB, Choking, Active, true},
		{"below band from heartbeat", DefaultConfig(), 97 * MiB, 100 * MiB, Heartbeat, Active, true},
		{"above band fresh", DefaultConfig(), 103 * MiB, 100 * MiB, "", Choking, false},
		{"above band from active", DefaultConfig(), 103 * MiB, 100 * MiB, Active, Choking, false},
		{"band under target keeps choking", DefaultConfig(), 99 * MiB, 100 * MiB, Choking, Choking, false},
		{"band over target keeps active", DefaultConfig(), 101 * MiB, 100 * MiB, Active, Active, true},
		{"band under target keeps heartbeat", DefaultConfig(), 99 * MiB, 100 * MiB, Heartbeat, Heartbeat, true},
		{"band under target fresh", DefaultConfig(), 99 * MiB, 100 * MiB, "", Active, true},
		{"band over target fresh", DefaultConfig(), 101 * MiB, 100 * MiB, "", Choking, false},
		{"band at target fresh", DefaultConfig(), 100 * MiB, 100 * MiB, "", Active, true},
		{"band over target after done", DefaultConfig(), 101 * MiB, 100 * MiB, Done, Choking, false},
		{"band under target after exempt", DefaultConfig(), 99 * MiB, 100 * MiB, Exempt, Active, true},
		{"band unknown prev", DefaultConfig(), 101 * MiB, 100 * MiB, "bogus", Choking, false},
		{"upper edge from active", edges(), 5 * MiB, 4 * MiB, Active, Active, true},
		{"upper edge from choking", edges(), 5 * MiB, 4 * MiB, Choking, Choking, false},
		{"just above upper edge", edges(), 5*MiB + 1, 4 * MiB, Active, Choking, false},
		{"lower edge from choking", edges(), 3 * MiB, 4 * MiB, Choking, Choking, false},
		{"just below lower edge", edges(), 3*MiB - 1, 4 * MiB, Choking, Active, true},
		{"lower edge from active", edges(), 3 * MiB, 4 * MiB, Active, Active, true},
		{"no hysteresis at target keeps choking", noHysteresis(), 4 * MiB, 4 * MiB, Choking, Choking, false},
		{"no hysteresis at target keeps active", noHysteresis(), 4 * MiB, 4 * MiB, Active, Active, true},
		{"no hysteresis just above", noHysteresis(), 4*MiB + 1, 4 * MiB, Active, Choking, false},
		{"infinite target never chokes", withTarget(math.Inf(1)), 1 << 40, 1, "", Active, true},
		{"zero target chokes once over", withTarget(0), 1 * MiB, 100 * MiB, "", Choking, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Now: t0, Uploaded: tt.up, Downloaded: tt.down, Size: 1 << 40, Prev: tt.prev, PrevSince: t0.Add(-time.Second), LastHeartbeat: t0.Add(-time.Second)}
			d := Decide(tt.cfg, in)
			if d.Mode != tt.want || d.AllowUpload != tt.allow {
				t.Errorf("got %s allow=%v, want %s allow=%v (%s)", d.Mode, d.AllowUpload, tt.want, tt.allow, d.Reason)
			}
		})
	}
}

func noHysteresis() Config { c := DefaultConfig(); c.Hysteresis = 0; return c }

func withTarget(x float64) Config { c := DefaultConfig(); c.Target = x; return c }

// TestDecideNoFlapping sweeps the ratio up through the band and back down,
// feeding each decision back, and checks where the mode flips.
func TestDecideNoFlapping(t *testing.T) {
	c := DefaultConfig()
	c.HeartbeatPeriod = 0 // isolate hysteresis from heartbeats
	const down = 1000 * MiB
	var flips []int64 // ratio per mille at each flip
	prev := Decision{Mode: Active}
	step := func(permille int64) {
		d := Decide(c, Input{Now: t0, Uploaded: permille * MiB, Downloaded: down, Prev: prev.Mode, PrevSince: prev.Since})
		if d.Mode != prev.Mode {
			flips = append(flips, permille)
		}
		prev = d
	}
	for p := int64(900); p <= 1100; p++ {
		step(p)
	}
	for p := int64(1100); p >= 900; p-- {
		step(p)
	}
	want := []int64{1021, 979}
	if len(flips) != len(want) || flips[0] != want[0] || flips[1] != want[1] {
		t.Fatalf("flips at %v per mille, want %v", flips, want)
	}
}

func TestDecideHeartbeat(t *testing.T) {
	s := time.Second
	tests := []struct {
		name      string
		cfg       Config
		prev      Mode
		prevSince time.Time
		last      time.Time
		now       time.Time
		want      Mode
		wantSince time.Time
		wantLast  time.Time
	}{
		{"choking starts the period", DefaultConfig(), Active, t0.Add(-time.Hour), t0.Add(-time.Hour), t0, Choking, t0, t0},
		{"choking from nothing", DefaultConfig(), "", time.Time{}, time.Time{}, t0, Choking, t0, t0},
		{"just before period", DefaultConfig(), Choking, t0, t0, t0.Add(30*s - 1), Choking, t0, t0},
		{"opens exactly at period", DefaultConfig(), Choking, t0, t0, t0.Add(30 * s), Heartbeat, t0.Add(30 * s), t0.Add(30 * s)},
		{"late tick opens now", DefaultConfig(), Choking, t0, t0, t0.Add(45 * s), Heartbeat, t0.Add(45 * s), t0.Add(45 * s)},
		{"inside window", DefaultConfig(), Heartbeat, t0, t0, t0.Add(2*s - 1), Heartbeat, t0, t0},
		{"closes after window", DefaultConfig(), Heartbeat, t0, t0, t0.Add(2 * s), Choking, t0.Add(2 * s), t0},
		{"choking never reopens the window", DefaultConfig(), Choking, t0.Add(-s), t0, t0.Add(s), Choking, t0.Add(-s), t0},
		{"period from window start not end", DefaultConfig(), Choking, t0.Add(2 * s), t0, t0.Add(30 * s), Heartbeat, t0.Add(30 * s), t0.Add(30 * s)},
		{"lost heartbeat time opens now", DefaultConfig(), Choking, t0.Add(-s), time.Time{}, t0, Heartbeat, t0, t0},
		{"clock back while choking", DefaultConfig(), Choking, t0.Add(10 * time.Minute), t0.Add(10 * time.Minute), t0, Heartbeat, t0, t0},
		{"clock back inside window", DefaultConfig(), Heartbeat, t0.Add(s), t0.Add(s), t0, Heartbeat, t0, t0},
		{"period off", period(0, 2*s), Choking, t0, t0, t0.Add(time.Hour), Choking, t0, t0},
		{"window off", period(30*s, 0), Choking, t0, t0, t0.Add(time.Hour), Choking, t0, t0},
		{"window longer than period", period(2*s, 5*s), Heartbeat, t0, t0, t0.Add(3 * s), Heartbeat, t0, t0.Add(3 * s)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Now: tt.now, Uploaded: 200 * MiB, Downloaded: 100 * MiB, Prev: tt.prev, PrevSince: tt.prevSince, LastHeartbeat: tt.last}
			d := Decide(tt.cfg, in)
			if d.Mode != tt.want || !d.Since.Equal(tt.wantSince) || !d.LastHeartbeat.Equal(tt.wantLast) {
				t.Errorf("got %s since %v last %v, want %s since %v last %v",
					d.Mode, d.Since.Sub(t0), d.LastHeartbeat.Sub(t0), tt.want, tt.wantSince.Sub(t0), tt.wantLast.Sub(t0))
			}
			if d.AllowUpload != (tt.want == Heartbeat) {
				t.Errorf("allow=%v in %s", d.AllowUpload, d.Mode)
			}
		})
	}
}

func period(p, w time.Duration) Config {
	c := DefaultConfig()
	c.HeartbeatPeriod, c.HeartbeatWindow = p, w
	return c
}

// TestHeartbeatSchedule runs 95 s over target at 100 ms ticks and checks
// that exactly the ticks in [30,32), [60,62) and [90,92) s may upload.
func TestHeartbeatSchedule(t *testing.T) {
	d := Decision{Mode: Active}
	var open []int
	for i := 0; i <= 950; i++ {
		now := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		d = Decide(DefaultConfig(), Input{Now: now, Uploaded: 2 * MiB, Downloaded: MiB / 2, Prev: d.Mode, PrevSince: d.Since, LastHeartbeat: d.LastHeartbeat})
		if d.AllowUpload {
			open = append(open, i)
		}
	}
	var want []int
	for _, start := range []int{300, 600, 900} {
		for i := start; i < start+20; i++ {
			want = append(want, i)
		}
	}
	if len(open) != len(want) {
		t.Fatalf("open ticks %v, want %v", open, want)
	}
	for i := range want {
		if open[i] != want[i] {
			t.Fatalf("open ticks %v, want %v", open, want)
		}
	}
}

func TestDecideExemptOffCompletion(t *testing.T) {
	off := DefaultConfig()
	off.Enabled = false
	tests := []struct {
		name       string
		cfg        Config
		onComplete Completion
		exempt     bool
		complete   bool
		up, down   int64
		size       int64
		want       Mode
		allow      bool
		ratio      float64
	}{
		{"exempt over target", DefaultConfig(), SeedToRatio, true, false, 5 * MiB, MiB, 10 * MiB, Exempt, true, 5},
		{"exempt beats stop", DefaultConfig(), Stop, true, true, 0, MiB, MiB, Exempt, true, 0},
		{"exempt beats seeded to ratio", DefaultConfig(), SeedToRatio, true, true, 9 * MiB, MiB, MiB, Exempt, true, 9},
		{"exempt while disabled", off, Stop, true, true, 0, MiB, MiB, Exempt, true, 0},
		{"off over target", off, SeedToRatio, false, false, 5 * MiB, MiB, 10 * MiB, Off, true, 5},
		{"off ratio reached seeds on", off, SeedToRatio, false, true, 5 * MiB, MiB, MiB, Off, true, 5},
		{"off seed", off, Seed, false, true, 5 * MiB, MiB, MiB, Off, true, 5},
		{"off still stops", off, Stop, false, true, 0, MiB, MiB, Done, false, 0},
		{"seed forever", DefaultConfig(), Seed, false, true, 50 * MiB, MiB, MiB, Active, true, 50},
		{"stop at once", DefaultConfig(), Stop, false, true, 0, MiB, MiB, Done, false, 0},
		{"seed-to-ratio under", DefaultConfig(), SeedToRatio, false, true, MiB / 2, MiB, MiB, Active, true, 0.5},
		{"seed-to-ratio reached", DefaultConfig(), SeedToRatio, false, true, MiB, MiB, MiB, Done, false, 1},
		{"seed-to-ratio no hysteresis", DefaultConfig(), SeedToRatio, false, true, 1010 * KiB, 1000 * KiB, MiB, Done, false, 1.01},
		{"seed-to-ratio data from disk", DefaultConfig(), SeedToRatio, false, true, 50 * MiB, 0, 100 * MiB, Active, true, 0.5},
		{"seed-to-ratio data from disk reached", DefaultConfig(), SeedToRatio, false, true, 100 * MiB, 0, 100 * MiB, Done, false, 1},
		{"seed-to-ratio unknown size fresh", DefaultConfig(), SeedToRatio, false, true, 0, 0, 0, Active, true, 0},
		{"seed-to-ratio unknown size uploaded", DefaultConfig(), SeedToRatio, false, true, 1, 0, 0, Done, false, math.Inf(1)},
		{"seed-to-ratio ignores allowance", DefaultConfig(), SeedToRatio, false, true, 2 * KiB, KiB, MiB, Done, false, 2},
		{"unknown policy is seed-to-ratio", DefaultConfig(), "bogus", false, true, 2 * MiB, MiB, MiB, Done, false, 2},
		{"infinite target seeds on", withTarget(math.Inf(1)), SeedToRatio, false, true, 1 << 40, MiB, MiB, Active, true, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			c.OnComplete = tt.onComplete
			in := Input{Now: t0, Uploaded: tt.up, Downloaded: tt.down, Size: tt.size, Complete: tt.complete, Exempt: tt.exempt}
			d := Decide(c, in)
			if d.Mode != tt.want || d.AllowUpload != tt.allow || d.Ratio != tt.ratio {
				t.Errorf("got %s allow=%v ratio=%v, want %s allow=%v ratio=%v (%s)",
					d.Mode, d.AllowUpload, d.Ratio, tt.want, tt.allow, tt.ratio, d.Reason)
			}
		})
	}
}

// TestDoneHasNoHeartbeat: a torrent that was choking and is due a
// heartbeat completes past its ratio; it must stop, not pulse.
func TestDoneHasNoHeartbeat(t *testing.T) {
	in := Input{Now: t0.Add(time.Hour), Uploaded: 2 * MiB, Downloaded: MiB, Size: MiB, Complete: true, Prev: Choking, PrevSince: t0, LastHeartbeat: t0}
	d := Decide(DefaultConfig(), in)
	if d.Mode != Done || d.AllowUpload || !d.LastHeartbeat.Equal(t0) {
		t.Fatalf("got %+v", d)
	}
	// Raising the target later resumes seeding: done is not sticky.
	c := withTarget(3)
	in.Prev, in.PrevSince = Done, in.Now
	if d := Decide(c, in); d.Mode != Active {
		t.Fatalf("after raising target got %s", d.Mode)
	}
}

func TestDecideAllowance(t *testing.T) {
	noAllowance := DefaultConfig()
	noAllowance.Allowance = 0
	negative := DefaultConfig()
	negative.Allowance = -1
	tests := []struct {
		name     string
		cfg      Config
		up, down int64
		prev     Mode
		want     Mode
		ratio    float64
	}{
		{"nothing either way", DefaultConfig(), 0, 0, "", Active, 0},
		{"inside allowance", DefaultConfig(), DefaultAllowance - 1, 0, "", Active, math.Inf(1)},
		{"allowance used up", DefaultConfig(), DefaultAllowance, 0, "", Choking, math.Inf(1)},
		{"allowance beats choking prev", DefaultConfig(), KiB, 0, Choking, Active, math.Inf(1)},
		{"allowance with tiny download", DefaultConfig(), 100 * KiB, KiB, "", Active, 100},
		{"tiny download after allowance", DefaultConfig(), 300 * KiB, KiB, "", Choking, 300},
		{"no allowance nothing either way", noAllowance, 0, 0, "", Active, 0},
		{"no allowance first byte", noAllowance, 1, 0, "", Choking, math.Inf(1)},
		{"negative allowance is none", negative, 1, 0, "", Choking, math.Inf(1)},
		{"negative counters are zero", DefaultConfig(), -5, -5, "", Active, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.cfg, Input{Now: t0, Uploaded: tt.up, Downloaded: tt.down, Size: MiB, Prev: tt.prev, PrevSince: t0, LastHeartbeat: t0})
			if d.Mode != tt.want || d.Ratio != tt.ratio {
				t.Errorf("got %s ratio %v, want %s ratio %v (%s)", d.Mode, d.Ratio, tt.want, tt.ratio, d.Reason)
			}
		})
	}
}

func TestDecideReason(t *testing.T) {
	off := DefaultConfig()
	off.Enabled = false
	seed := DefaultConfig()
	seed.OnComplete = Seed
	stop := DefaultConfig()
	stop.OnComplete = Stop
	tests := []struct {
		cfg  Config
		in   Input
		want string
	}{
		{DefaultConfig(), Input{Uploaded: 102 * MiB, Downloaded: 100 * MiB}, "choking: ratio 1.02 ≥ 1.00"},
		{DefaultConfig(), Input{Uploaded: 99 * MiB, Downloaded: 100 * MiB, Prev: Choking, LastHeartbeat: t0}, "choking: ratio 0.99, resumes below 0.98"},
		{DefaultConfig(), Input{Uploaded: 50 * MiB, Downloaded: 100 * MiB}, "active: ratio 0.50 < 1.00"},
		{DefaultConfig(), Input{Uploaded: 101 * MiB, Downloaded: 100 * MiB, Prev: Active}, "active: ratio 1.01, chokes above 1.02"},
		{DefaultConfig(), Input{Uploaded: 150 * MiB, Downloaded: 100 * MiB, Prev: Choking, LastHeartbeat: t0.Add(-time.Minute)}, "heartbeat: ratio 1.50 ≥ 1.00, keep-alive window"},
		{DefaultConfig(), Input{Uploaded: MiB}, "choking: ratio ∞ ≥ 1.00"},
		{DefaultConfig(), Input{Uploaded: 100 * KiB}, "active: bootstrap allowance, 100.0 KiB of 256.0 KiB used"},
		{DefaultConfig(), Input{Uploaded: 10}, "active: bootstrap allowance, 10 B of 256.0 KiB used"},
		{DefaultConfig(), Input{Exempt: true}, "exempt: never choked"},
		{off, Input{Uploaded: 5 * MiB, Downloaded: MiB}, "off: fairness disabled"},
		{stop, Input{Complete: true}, "done: stop on completion"},
		{DefaultConfig(), Input{Uploaded: 3 * MiB, Downloaded: 2 * MiB, Complete: true}, "done: ratio 1.50 ≥ 1.00"},
		{DefaultConfig(), Input{Uploaded: MiB, Downloaded: 2 * MiB, Complete: true}, "active: seeding to 1.00, ratio 0.50"},
		{seed, Input{Uploaded: 4 * MiB, Downloaded: 2 * MiB, Complete: true}, "active: seeding, ratio 2.00"},
	}
	for _, tt := range tests {
		tt.in.Now = t0
		if got := Decide(tt.cfg, tt.in).Reason; got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecideSince(t *testing.T) {
	tests := []struct {
		name      string
		prev      Mode
		prevSince time.Time
		want      time.Time
	}{
		{"same mode keeps since", Active, t0.Add(-time.Hour), t0.Add(-time.Hour)},
		{"new mode starts now", Choking, t0.Add(-time.Hour), t0},
		{"missing since is now", Active, time.Time{}, t0},
		{"since in the future is now", Active, t0.Add(time.Hour), t0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(DefaultConfig(), Input{Now: t0, Uploaded: 50 * MiB, Downloaded: 100 * MiB, Prev: tt.prev, PrevSince: tt.prevSince})
			if !d.Since.Equal(tt.want) {
				t.Errorf("since %v, want %v", d.Since, tt.want)
			}
		})
	}
}

func TestConfigNormalized(t *testing.T) {
	nan := DefaultConfig()
	nan.Target, nan.Hysteresis = math.NaN(), math.NaN()
	neg := DefaultConfig()
	neg.Target, neg.Hysteresis = -1, -1
	tests := []struct {
		name string
		cfg  Config
		up   int64
		want Mode
	}{
		// Target falls back to 1.0; hysteresis to 0, so 1.01 chokes.
		{"NaN ratio 1.01", nan, 101 * MiB, Choking},
		{"NaN ratio 0.99", nan, 99 * MiB, Active},
		{"negative ratio 1.01", neg, 101 * MiB, Choking},
		{"negative ratio 0.99", neg, 99 * MiB, Active},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.cfg, Input{Now: t0, Uploaded: tt.up, Downloaded: 100 * MiB, Prev: Active})
			if d.Mode != tt.want {
				t.Errorf("got %s, want %s (%s)", d.Mode, tt.want, d.Reason)
			}
		})
	}
}
