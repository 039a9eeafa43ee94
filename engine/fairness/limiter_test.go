package fairness

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

const chunk = 16 * KiB // what anacrolix reserves per block

func TestLimiterSettings(t *testing.T) {
	tests := []struct {
		kib       int64
		wantLimit rate.Limit
		wantBurst int
	}{
		{0, rate.Inf, 4 * MiB},
		{-5, rate.Inf, 4 * MiB},
		{1, 1024, 256 * KiB},
		{256, 256 * KiB, 256 * KiB},
		{257, 257 * KiB, 257 * KiB},
		{1024, MiB, MiB},
		{4095, 4095 * KiB, 4095 * KiB},
		{4096, 4 * MiB, 4 * MiB},
		{1 << 30, 1 << 40, 4 * MiB},
		{math.MaxInt64, rate.Limit(float64(math.MaxInt64) * 1024), 4 * MiB},
	}
	for _, tt := range tests {
		l := NewLimiter(tt.kib)
		if l.Limit() != tt.wantLimit || l.Burst() != tt.wantBurst {
			t.Errorf("NewLimiter(%d): limit %v burst %d, want %v %d", tt.kib, l.Limit(), l.Burst(), tt.wantLimit, tt.wantBurst)
		}
		// SetLimit from every other setting lands on the same pair.
		for _, from := range tests {
			l := NewLimiter(from.kib)
			SetLimit(l, tt.kib)
			if l.Limit() != tt.wantLimit || l.Burst() != tt.wantBurst {
				t.Errorf("SetLimit(%d→%d): limit %v burst %d, want %v %d", from.kib, tt.kib, l.Limit(), l.Burst(), tt.wantLimit, tt.wantBurst)
			}
		}
	}
}

// drain empties the bucket so timing starts from a steady state.
func drain(l *rate.Limiter) {
	for l.AllowN(time.Now(), chunk) {
	}
}

func TestLimiterRate(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2 s")
	}
	const kib = 256
	l := NewLimiter(kib)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	drain(l)
	start := time.Now()
	var sent int64
	for time.Since(start) < 2*time.Second {
		if err := l.WaitN(ctx, chunk); err != nil {
			t.Fatal(err)
		}
		sent += chunk
	}
	got := float64(sent) / time.Since(start).Seconds() / 1024
	t.Logf("measured %.1f KiB/s", got)
	if got < kib*0.9 || got > kib*1.1 {
		t.Fatalf("measured %.1f KiB/s, want %d ± 10%%", got, kib)
	}
}

func TestLimiterSwitch(t *testing.T) {
	l := NewLimiter(0)
	unlimited := func(phase string) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		for range 256 { // 4 MiB: far past any burst
			if err := l.WaitN(ctx, chunk); err != nil {
				t.Fatalf("%s: %v", phase, err)
			}
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Fatalf("%s: 4 MiB took %v while unlimited", phase, d)
		}
	}
	limited := func(phase string) {
		drain(l)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		for range 4 {
			if err := l.WaitN(ctx, chunk); err != nil {
				t.Fatalf("%s: %v", phase, err)
			}
		}
		// 4 chunks at 256 KiB/s take 250 ms once the bucket is empty.
		if d := time.Since(start); d < 150*time.Millisecond {
			t.Fatalf("%s: 64 KiB took only %v at 256 KiB/s", phase, d)
		}
	}
	unlimited("start")
	SetLimit(l, 256)
	limited("0→256")
	SetLimit(l, 0)
	unlimited("256→0")
	SetLimit(l, 256)
	limited("0→256 again")
}

// TestSetLimitConsistent: while SetLimit calls race, no other holder of
// setMu ever sees a limit and a burst from different settings.
func TestSetLimitConsistent(t *testing.T) {
	l := NewLimiter(0)
	var wg sync.WaitGroup
	for _, kib := range []int64{0, 1, 300, 1024, 5000} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20000 {
				SetLimit(l, kib)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for {
		setMu.Lock()
		limit, burst := l.Limit(), l.Burst()
		setMu.Unlock()
		kib := int64(limit / 1024)
		if limit == rate.Inf {
			kib = 0
		}
		if burst != burstFor(kib) {
			t.Fatalf("limit %v with burst %d", limit, burst)
		}
		select {
		case <-done:
			return
		default:
		}
	}
}

// TestNewLimiterStartsEmpty: a new capped limiter, or an unlimited one
// given a cap, lets through no more than the cap in its first second; a
// full bucket used to add a whole burst (256 KiB at 100 KiB/s) on top.
func TestNewLimiterStartsEmpty(t *testing.T) {
	for _, kib := range []int64{-1, 1, 100, 1024, 8192} {
		l := NewLimiter(kib)
		if kib < 0 { // capped later, as get and publish do with their flags
			kib = 100
			SetLimit(l, kib)
		}
		at := time.Now().Add(time.Second)
		step := min(chunk, l.Burst())
		moved := 0
		for l.AllowN(at, step) {
			moved += step
		}
		if limit := int(kib)*KiB + step + 64*KiB; moved > limit {
			t.Errorf("NewLimiter(%d) let %d bytes through in its first second, want ≤ %d", kib, moved, limit)
		}
	}
	unlimited := NewLimiter(0)
	if !unlimited.AllowN(time.Now(), 4*MiB) {
		t.Error("an unlimited limiter refused a burst")
	}
}
