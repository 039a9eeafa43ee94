package fairness

import (
	"math"
	"testing"
)

func TestUploadBudget(t *testing.T) {
	off := DefaultConfig()
	off.Enabled = false
	none := DefaultConfig()
	none.Allowance = 0
	tests := []struct {
		name     string
		cfg      Config
		up, down int64
		want     int64
	}{
		{"fresh", DefaultConfig(), 0, 0, DefaultAllowance},
		{"part of allowance used", DefaultConfig(), 100 * KiB, 0, DefaultAllowance - 100*KiB},
		{"allowance used", DefaultConfig(), DefaultAllowance, 0, 0},
		{"past allowance", DefaultConfig(), 2 * DefaultAllowance, 0, 0},
		{"ratio room", DefaultConfig(), 0, 100 * MiB, 102 * MiB},
		{"ratio room left", DefaultConfig(), 60 * MiB, 100 * MiB, 42 * MiB},
		{"at ceiling", DefaultConfig(), 102 * MiB, 100 * MiB, 0},
		{"over ceiling", DefaultConfig(), 200 * MiB, 100 * MiB, 0},
		{"allowance above ratio room", DefaultConfig(), 0, KiB, DefaultAllowance},
		{"no allowance nothing downloaded", none, 0, 0, 0},
		{"exact band edge", edges(), 0, 4 * MiB, 5 * MiB},
		{"disabled", off, 1 << 40, 0, math.MaxInt64},
		{"infinite target", withTarget(math.Inf(1)), 1 << 40, 0, math.MaxInt64},
		{"huge download clamps", DefaultConfig(), 0, math.MaxInt64, math.MaxInt64},
		{"negative counters", DefaultConfig(), -1, -1, DefaultAllowance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UploadBudget(tt.cfg, tt.up, tt.down); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

// TestUploadBudgetAgreesWithDecide: using the whole budget keeps an active
// torrent active, and one byte more chokes it, for awkward ratios.
func TestUploadBudgetAgreesWithDecide(t *testing.T) {
	for _, target := range []float64{1, 0.7, 1.3, 2.0 / 3, 0.1} {
		for _, h := range []float64{0, 0.02, 0.1} {
			c := DefaultConfig()
			c.Target, c.Hysteresis, c.Allowance, c.HeartbeatPeriod = target, h, 0, 0
			for _, down := range []int64{1, 3, 7, 10, 90, 99, 170, 1000, 12345, 999983, 1<<30 + 7, 1 << 50} {
				b := UploadBudget(c, 0, down)
				at := Decide(c, Input{Now: t0, Uploaded: b, Downloaded: down, Prev: Active})
				over := Decide(c, Input{Now: t0, Uploaded: b + 1, Downloaded: down, Prev: Active})
				if at.Mode != Active || over.Mode != Choking {
					t.Errorf("target %v h %v down %d: budget %d gives %s, +1 gives %s", target, h, down, b, at.Mode, over.Mode)
				}
				if rest := UploadBudget(c, b/2, down); rest != b-b/2 {
					t.Errorf("target %v h %v down %d: after %d of %d, %d left", target, h, down, b/2, b, rest)
				}
			}
		}
	}
}
