package fairness

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"
)

func TestGuard(t *testing.T) {
	type step struct {
		at         time.Duration // after t0
		peer       string
		uploaded   int64
		size       int64
		wantDrop   bool
		wantBanned bool // Banned(peer) right after the check
	}
	tests := []struct {
		name   string
		factor float64
		banFor time.Duration
		steps  []step
	}{
		{"one copy is fine", 1.1, time.Hour, []step{
			{0, "a", 1000, 1000, false, false},
		}},
		{"exactly factor is fine", 1.1, time.Hour, []step{
			{0, "a", 1100, 1000, false, false},
		}},
		{"one byte over drops and bans", 1.1, time.Hour, []step{
			{0, "a", 1101, 1000, true, true},
		}},
		{"ban holds until expiry", 1.1, time.Hour, []step{
			{0, "a", 1101, 1000, true, true},
			{time.Hour - 1, "a", 0, 1000, true, true},
			{time.Hour, "a", 0, 1000, false, false},
		}},
		{"ban is per peer", 1.1, time.Hour, []step{
			{0, "a", 5000, 1000, true, true},
			{time.Second, "b", 0, 1000, false, false},
		}},
		{"cumulative count rebans after expiry", 1.1, time.Hour, []step{
			{0, "a", 1101, 1000, true, true},
			{time.Hour, "a", 1101, 1000, true, true},
			{2*time.Hour - 1, "a", 0, 1000, true, true},
		}},
		{"unknown size never drops", 1.1, time.Hour, []step{
			{0, "a", 1 << 40, 0, false, false},
			{0, "a", 1 << 40, -1, false, false},
		}},
		{"no ban time drops only", 1.1, 0, []step{
			{0, "a", 1101, 1000, true, false},
			{time.Second, "a", 0, 1000, false, false},
		}},
		{"zero factor means default", 0, time.Hour, []step{
			{0, "a", 1100, 1000, false, false},
			{0, "a", 1101, 1000, true, true},
		}},
		{"NaN factor means default", math.NaN(), time.Hour, []step{
			{0, "a", 1100, 1000, false, false},
			{0, "a", 1101, 1000, true, true},
		}},
		{"custom factor", 2, time.Hour, []step{
			{0, "a", 2000, 1000, false, false},
			{0, "a", 2001, 1000, true, true},
		}},
		{"clock back keeps ban", 1.1, time.Hour, []step{
			{0, "a", 1101, 1000, true, true},
			{-24 * time.Hour, "a", 0, 1000, true, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewGuard(tt.factor, tt.banFor)
			for i, s := range tt.steps {
				now := t0.Add(s.at)
				if drop := g.Check(now, s.peer, s.uploaded, s.size); drop != s.wantDrop {
					t.Errorf("step %d: drop=%v, want %v", i, drop, s.wantDrop)
				}
				if banned := g.Banned(now, s.peer); banned != s.wantBanned {
					t.Errorf("step %d: banned=%v, want %v", i, banned, s.wantBanned)
				}
			}
		})
	}
}

func TestGuardForgetsExpiredBans(t *testing.T) {
	g := NewGuard(1.1, time.Minute)
	for i := range 100 {
		g.Check(t0, fmt.Sprint("old", i), 2000, 1000)
	}
	g.Check(t0.Add(time.Minute), "new", 2000, 1000)
	if n := len(g.bans); n != 1 {
		t.Fatalf("%d bans kept, want 1", n)
	}
}

func TestGuardConcurrent(t *testing.T) {
	g := NewGuard(1.1, time.Hour)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				peer := fmt.Sprint(w, "/", i)
				g.Check(t0, peer, int64(i%2)*2000, 1000)
				g.Banned(t0, peer)
			}
		}()
	}
	wg.Wait()
	for w := range 8 {
		for i := range 200 {
			if got, want := g.Banned(t0, fmt.Sprint(w, "/", i)), i%2 == 1; got != want {
				t.Fatalf("peer %d/%d banned=%v, want %v", w, i, got, want)
			}
		}
	}
}
