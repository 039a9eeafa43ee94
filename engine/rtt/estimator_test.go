package rtt

import (
	"testing"
	"time"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

const ms = time.Millisecond

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

type sample struct {
	at float64 // seconds after t0
	d  time.Duration
}

func feed(e *Estimator, ss []sample) {
	for _, s := range ss {
		e.Add(at(s.at), s.d)
	}
}

func TestEstimatorZero(t *testing.T) {
	var e Estimator
	if got := e.Estimate(); got != (Estimate{}) {
		t.Fatalf("zero estimator = %+v, want zero", got)
	}
}

func TestEstimator(t *testing.T) {
	tests := []struct {
		name    string
		window  time.Duration
		samples []sample
		want    Estimate
	}{
		{
			name:    "first sample sets SRTT and half RTTVAR",
			samples: []sample{{0, 100 * ms}},
			want:    Estimate{SRTT: 100 * ms, RTTVar: 50 * ms, Min: 100 * ms, Samples: 1, Last: at(0)},
		},
		{
			name:    "second sample follows RFC 6298",
			samples: []sample{{0, 100 * ms}, {1, 180 * ms}},
			// RTTVAR = 3/4*50 + 1/4*|100-180| = 57.5; SRTT = 7/8*100 + 1/8*180 = 110
			want: Estimate{SRTT: 110 * ms, RTTVar: 57500 * time.Microsecond, Min: 100 * ms, Samples: 2, Last: at(1)},
		},
		{
			name:    "spike moves SRTT by one eighth of the excess",
			samples: []sample{{0, 100 * ms}, {1, 900 * ms}},
			want:    Estimate{SRTT: 200 * ms, RTTVar: 237500 * time.Microsecond, Min: 100 * ms, Samples: 2, Last: at(1)},
		},
		{
			name:    "non-positive and oversized samples ignored",
			samples: []sample{{0, 0}, {1, -5 * ms}, {2, 40 * ms}, {3, MaxSample + 1}},
			want:    Estimate{SRTT: 40 * ms, RTTVar: 20 * ms, Min: 40 * ms, Samples: 1, Last: at(2)},
		},
		{
			name:    "MaxSample itself accepted",
			samples: []sample{{0, MaxSample}},
			want:    Estimate{SRTT: MaxSample, RTTVar: MaxSample / 2, Min: MaxSample, Samples: 1, Last: at(0)},
		},
		{
			name:    "min expires after the window",
			window:  10 * time.Second,
			samples: []sample{{0, 20 * ms}, {5, 50 * ms}, {11, 80 * ms}},
			// SRTT 20 → 23.75 → 30.78125; RTTVAR 10 → 15 → 25.3125
			want: Estimate{SRTT: 30781250, RTTVar: 25312500, Min: 50 * ms, Samples: 3, Last: at(11)},
		},
		{
			name:    "default window is 60s",
			samples: []sample{{0, 20 * ms}, {59, 50 * ms}, {60, 50 * ms}, {61, 50 * ms}},
			// SRTT 20 → 23.75 → 27.03125 → 29.90234375 (ns-truncated)
			want: Estimate{SRTT: 29902343, RTTVar: 19101562, Min: 50 * ms, Samples: 4, Last: at(61)},
		},
		{
			name:    "backwards sample keeps Last",
			samples: []sample{{100, 30 * ms}, {50, 20 * ms}},
			want:    Estimate{SRTT: 28750 * time.Microsecond, RTTVar: 13750 * time.Microsecond, Min: 20 * ms, Samples: 2, Last: at(100)},
		},
		{
			name:    "backwards sample lives from Last, not from its own time",
			window:  10 * time.Second,
			samples: []sample{{100, 30 * ms}, {50, 20 * ms}, {105, 40 * ms}},
			// Taken at face value the 20 ms sample would have expired at
			// 60 s; clamped to 100 s it is still the minimum at 105 s.
			// SRTT 30 → 28.75 → 30.15625; RTTVAR 15 → 13.75 → 13.125.
			want: Estimate{SRTT: 30156250, RTTVar: 13125 * time.Microsecond, Min: 20 * ms, Samples: 3, Last: at(105)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Estimator{Window: tt.window}
			feed(&e, tt.samples)
			if got := e.Estimate(); got != tt.want {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestEstimatorSource(t *testing.T) {
	e := Estimator{Source: SourceTCP}
	e.Add(t0, 10*ms)
	if got := e.Estimate().Source; got != SourceTCP {
		t.Fatalf("Source = %q, want %q", got, SourceTCP)
	}
}

func TestEstimatorSpikeBound(t *testing.T) {
	var e Estimator
	for i := range 20 {
		e.Add(at(float64(i)), 50*ms)
	}
	before := e.Estimate().SRTT
	e.Add(at(20), MaxSample)
	after := e.Estimate().SRTT
	if limit := before + (MaxSample-before)/8; after > limit {
		t.Fatalf("SRTT after spike = %v, want <= %v", after, limit)
	}
	if after <= before {
		t.Fatalf("SRTT after spike = %v, want above %v", after, before)
	}
}

// TestEstimatorWindowBounded checks the deque stays small under a fast,
// rising sample stream, the worst case for a monotonic deque.
func TestEstimatorWindowBounded(t *testing.T) {
	e := Estimator{Window: time.Second}
	for i := range 100_000 {
		e.Add(t0.Add(time.Duration(i)*100*time.Microsecond), time.Duration(i+1)*time.Microsecond)
	}
	if n := len(e.mins.points); n > windowSlots+2 {
		t.Fatalf("deque holds %d points, want <= %d", n, windowSlots+2)
	}
	// Last sample at 9.9999 s; the window reaches back to 8.9999 s, whose
	// sample was 90 ms. Coalescing may keep up to one slot (1/64 s) more.
	min := e.Estimate().Min
	if min > 90*ms || min < 90*ms-time.Second/windowSlots/100 {
		t.Fatalf("Min = %v, want about 90ms", min)
	}
}

func TestEstimateStale(t *testing.T) {
	tests := []struct {
		name string
		e    Estimate
		now  time.Time
		want bool
	}{
		{"no samples", Estimate{}, at(0), true},
		{"fresh", Estimate{Samples: 1, Last: at(0)}, at(5), false},
		{"exactly at limit", Estimate{Samples: 1, Last: at(0)}, at(10), false},
		{"past limit", Estimate{Samples: 1, Last: at(0)}, at(10.001), true},
		{"clock behind Last", Estimate{Samples: 1, Last: at(100)}, at(0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Stale(tt.now, 10*time.Second); got != tt.want {
				t.Fatalf("Stale = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEstimateDisplay(t *testing.T) {
	tests := []struct {
		source Source
		want   time.Duration
	}{
		{SourceRequest, 40 * ms},
		{SourcePing, 70 * ms},
		{SourceICE, 70 * ms},
		{SourceTCP, 70 * ms},
		{"", 70 * ms},
	}
	for _, tt := range tests {
		t.Run(string(tt.source), func(t *testing.T) {
			e := Estimate{SRTT: 70 * ms, Min: 40 * ms, Samples: 3, Source: tt.source}
			if got := e.Display(); got != tt.want {
				t.Fatalf("Display = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRequestSourceDisplaysMin runs queue-inflated samples through an
// Estimator to show why request latency displays the minimum.
func TestRequestSourceDisplaysMin(t *testing.T) {
	e := Estimator{Source: SourceRequest}
	feed(&e, []sample{{0, 800 * ms}, {1, 35 * ms}, {2, 900 * ms}, {3, 750 * ms}})
	est := e.Estimate()
	if got := est.Display(); got != 35*ms {
		t.Fatalf("Display = %v, want 35ms", got)
	}
	if est.SRTT <= 35*ms {
		t.Fatalf("SRTT = %v, expected it inflated by queueing", est.SRTT)
	}
}
