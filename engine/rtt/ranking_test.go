package rtt

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestScore(t *testing.T) {
	tests := []struct {
		name string
		c    Candidate
		want float64
	}{
		{"useless unknown idle", Candidate{}, 0.25},
		{"useful unknown idle", Candidate{Useful: true}, 1.25},
		{"RTT at neutral equals unknown", Candidate{RTT: NeutralRTT}, 0.25},
		{"fast path", Candidate{RTT: 25 * ms}, 0.4},
		{"rate at reference", Candidate{DownRate: RefRate}, 0.5},
		{"both", Candidate{RTT: 300 * ms, DownRate: 3 * RefRate, Useful: true}, 1.5},
		{"negative RTT is unknown", Candidate{RTT: -ms}, 0.25},
		{"negative rate is zero", Candidate{DownRate: -1}, 0.25},
		{"NaN rate is zero", Candidate{DownRate: math.NaN()}, 0.25},
		{"infinite rate saturates", Candidate{DownRate: math.Inf(1)}, 0.75},
		{"protected and age do not score", Candidate{Protected: true, Connected: time.Hour}, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Score(tt.c); math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("Score = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScoreOrdering(t *testing.T) {
	bestUseless := Candidate{RTT: time.Nanosecond, DownRate: math.Inf(1)}
	worstUseful := Candidate{RTT: MaxSample, Useful: true}
	if Score(worstUseful) <= Score(bestUseless) {
		t.Fatalf("useful %v <= useless %v", Score(worstUseful), Score(bestUseless))
	}
	if Score(Candidate{RTT: 20 * ms}) <= Score(Candidate{RTT: 200 * ms}) {
		t.Fatal("lower RTT should score higher")
	}
	if Score(Candidate{DownRate: 2e6}) <= Score(Candidate{DownRate: 1e6}) {
		t.Fatal("higher rate should score higher")
	}
}

func ids(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestRank(t *testing.T) {
	tests := []struct {
		name string
		in   []Candidate
		want []string
	}{
		{"empty", nil, []string{}},
		{"single", []Candidate{{ID: "a"}}, []string{"a"}},
		{
			name: "useful first, then RTT",
			in: []Candidate{
				{ID: "slow-useless", RTT: 300 * ms},
				{ID: "fast-useless", RTT: 10 * ms},
				{ID: "slow-useful", RTT: 300 * ms, Useful: true},
				{ID: "fast-useful", RTT: 10 * ms, Useful: true},
			},
			want: []string{"fast-useful", "slow-useful", "fast-useless", "slow-useless"},
		},
		{
			name: "unknown RTT sits between fast and slow",
			in: []Candidate{
				{ID: "slow", RTT: 250 * ms},
				{ID: "unknown"},
				{ID: "fast", RTT: 30 * ms},
			},
			want: []string{"fast", "unknown", "slow"},
		},
		{
			name: "rate can outweigh RTT",
			in: []Candidate{
				{ID: "near-idle", RTT: 50 * ms},
				{ID: "far-busy", RTT: 150 * ms, DownRate: 4 * RefRate},
			},
			want: []string{"far-busy", "near-idle"},
		},
		{
			name: "equal scores by ID",
			in:   []Candidate{{ID: "c"}, {ID: "a"}, {ID: "b"}},
			want: []string{"a", "b", "c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(Rank(tt.in)); !slices.Equal(got, tt.want) {
				t.Fatalf("Rank = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRankDeterministicAndPure(t *testing.T) {
	in := []Candidate{{ID: "b", RTT: 40 * ms}, {ID: "a", RTT: 40 * ms}, {ID: "c", Useful: true}}
	orig := slices.Clone(in)
	rev := slices.Clone(in)
	slices.Reverse(rev)
	a, b := ids(Rank(in)), ids(Rank(rev))
	if !slices.Equal(a, b) {
		t.Fatalf("order depends on input: %v vs %v", a, b)
	}
	if !slices.Equal(in, orig) {
		t.Fatalf("Rank modified its input: %v", in)
	}
}

func TestWorstToDrop(t *testing.T) {
	const grace = 30 * time.Second
	old := time.Minute
	tests := []struct {
		name   string
		in     []Candidate
		want   string
		wantOK bool
	}{
		{"empty", nil, "", false},
		{
			name: "all protected",
			in: []Candidate{
				{ID: "source", Protected: true, Connected: old},
				{ID: "webseed", Protected: true, Connected: old},
			},
		},
		{
			name: "all within grace",
			in: []Candidate{
				{ID: "a", Connected: grace},
				{ID: "b", Connected: time.Second},
			},
		},
		{
			name: "worst is protected, next worst dropped",
			in: []Candidate{
				{ID: "good", Useful: true, RTT: 10 * ms, Connected: old},
				{ID: "bad", RTT: 400 * ms, Connected: old},
				{ID: "source", RTT: 900 * ms, Protected: true, Connected: old},
			},
			want: "bad", wantOK: true,
		},
		{
			name: "worst is new, next worst dropped",
			in: []Candidate{
				{ID: "good", Useful: true, Connected: old},
				{ID: "meh", RTT: 200 * ms, Connected: old},
				{ID: "newbie", RTT: 900 * ms, Connected: time.Second},
			},
			want: "meh", wantOK: true,
		},
		{
			name: "only the best is eligible",
			in: []Candidate{
				{ID: "good", Useful: true, Connected: old},
				{ID: "newbie", Connected: 0},
			},
			want: "good", wantOK: true,
		},
		{
			name: "equal scores drop the highest ID",
			in: []Candidate{
				{ID: "x", Connected: old},
				{ID: "z", Connected: old},
				{ID: "y", Connected: old},
			},
			want: "z", wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := WorstToDrop(tt.in, grace)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("WorstToDrop = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestDialOrder(t *testing.T) {
	tests := []struct {
		name  string
		addrs []string
		known map[string]time.Duration
		want  []string
	}{
		{"empty", nil, nil, []string{}},
		{"nil map keeps order", []string{"c", "a", "b"}, nil, []string{"c", "a", "b"}},
		{
			name:  "known by RTT then unknown in input order",
			addrs: []string{"u1", "slow", "u2", "fast", "mid"},
			known: map[string]time.Duration{"slow": 300 * ms, "fast": 10 * ms, "mid": 80 * ms},
			want:  []string{"fast", "mid", "slow", "u1", "u2"},
		},
		{
			name:  "equal RTT stable",
			addrs: []string{"b", "a", "c"},
			known: map[string]time.Duration{"a": 50 * ms, "b": 50 * ms},
			want:  []string{"b", "a", "c"},
		},
		{
			name:  "non-positive RTT is unknown",
			addrs: []string{"zero", "neg", "known"},
			known: map[string]time.Duration{"zero": 0, "neg": -ms, "known": time.Second},
			want:  []string{"known", "zero", "neg"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.addrs)
			got := DialOrder(tt.addrs, tt.known)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("DialOrder = %v, want %v", got, tt.want)
			}
			if !slices.Equal(tt.addrs, in) {
				t.Fatalf("DialOrder modified its input: %v", tt.addrs)
			}
		})
	}
}
