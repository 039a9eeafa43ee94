package rtt

import (
	"testing"
	"time"
)

// seq returns a Rand that yields the given nonces in order.
func seq(ns ...uint64) func() uint64 {
	return func() uint64 {
		n := ns[0]
		ns = ns[1:]
		return n
	}
}

func TestPingerRoundTrip(t *testing.T) {
	var p Pinger
	ping := p.NextPing(t0)
	if ping.Kind != KindPing || ping.SentUnixNano != t0.UnixNano() {
		t.Fatalf("NextPing = %+v", ping)
	}
	rtt, ok := p.OnPong(t0.Add(42*ms), Pong(ping))
	if !ok || rtt != 42*ms {
		t.Fatalf("OnPong = %v, %v; want 42ms, true", rtt, ok)
	}
	if n := p.Outstanding(); n != 0 {
		t.Fatalf("Outstanding = %d after pong, want 0", n)
	}
}

func TestPingerNoncesDiffer(t *testing.T) {
	var p Pinger
	a, b := p.NextPing(t0), p.NextPing(t0)
	if a.Nonce == b.Nonce {
		t.Fatalf("two pings share nonce %d", a.Nonce)
	}
}

func TestPingerIgnoresPeerTimestamp(t *testing.T) {
	var p Pinger
	ping := p.NextPing(t0)
	forged := Pong(ping)
	forged.SentUnixNano = t0.Add(99 * ms).UnixNano() // claims a 1 ms RTT
	rtt, ok := p.OnPong(t0.Add(100*ms), forged)
	if !ok || rtt != 100*ms {
		t.Fatalf("OnPong = %v, %v; want 100ms from our own clock", rtt, ok)
	}
}

func TestPingerRejects(t *testing.T) {
	tests := []struct {
		name string
		run  func(p *Pinger) (time.Duration, bool)
	}{
		{"unknown nonce", func(p *Pinger) (time.Duration, bool) {
			p.NextPing(t0)
			return p.OnPong(t0.Add(ms), Message{Kind: KindPong, Nonce: 999})
		}},
		{"duplicate pong", func(p *Pinger) (time.Duration, bool) {
			ping := p.NextPing(t0)
			if _, ok := p.OnPong(t0.Add(ms), Pong(ping)); !ok {
				panic("first pong rejected")
			}
			return p.OnPong(t0.Add(2*ms), Pong(ping))
		}},
		{"ping instead of pong", func(p *Pinger) (time.Duration, bool) {
			ping := p.NextPing(t0)
			return p.OnPong(t0.Add(ms), ping)
		}},
		{"older than timeout", func(p *Pinger) (time.Duration, bool) {
			ping := p.NextPing(t0)
			return p.OnPong(t0.Add(PingTimeout+ms), Pong(ping))
		}},
		{"pong before ping", func(p *Pinger) (time.Duration, bool) {
			ping := p.NextPing(t0)
			return p.OnPong(t0.Add(-ms), Pong(ping))
		}},
		{"evicted by newer pings", func(p *Pinger) (time.Duration, bool) {
			first := p.NextPing(t0)
			for i := range MaxOutstanding {
				p.NextPing(t0.Add(time.Duration(i+1) * ms))
			}
			return p.OnPong(t0.Add(time.Second), Pong(first))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Pinger
			if rtt, ok := tt.run(&p); ok {
				t.Fatalf("OnPong = %v, true; want false", rtt)
			}
		})
	}
}

func TestPingerAtTimeoutStillMatches(t *testing.T) {
	var p Pinger
	ping := p.NextPing(t0)
	if rtt, ok := p.OnPong(t0.Add(PingTimeout), Pong(ping)); !ok || rtt != PingTimeout {
		t.Fatalf("OnPong = %v, %v; want %v, true", rtt, ok, PingTimeout)
	}
}

func TestPingerBounded(t *testing.T) {
	var p Pinger
	var pings []Message
	for i := range 3 * MaxOutstanding {
		pings = append(pings, p.NextPing(t0.Add(time.Duration(i)*ms)))
	}
	if n := p.Outstanding(); n != MaxOutstanding {
		t.Fatalf("Outstanding = %d, want %d", n, MaxOutstanding)
	}
	// The newest MaxOutstanding survive, each with its own send time.
	now := t0.Add(time.Second)
	for i, ping := range pings[len(pings)-MaxOutstanding:] {
		sent := t0.Add(time.Duration(len(pings)-MaxOutstanding+i) * ms)
		if rtt, ok := p.OnPong(now, Pong(ping)); !ok || rtt != now.Sub(sent) {
			t.Fatalf("pong %d = %v, %v; want %v", i, rtt, ok, now.Sub(sent))
		}
	}
}

func TestPingerExpiresQuietPings(t *testing.T) {
	var p Pinger
	p.NextPing(t0)
	p.NextPing(t0.Add(time.Second))
	p.NextPing(t0.Add(PingTimeout + 500*ms))
	if n := p.Outstanding(); n != 2 {
		t.Fatalf("Outstanding = %d, want 2 (first expired)", n)
	}
}

func TestPingerNonceCollision(t *testing.T) {
	p := Pinger{Rand: seq(7, 7)}
	p.NextPing(t0)
	second := p.NextPing(t0.Add(10 * ms))
	if n := p.Outstanding(); n != 1 {
		t.Fatalf("Outstanding = %d, want 1 (older twin forgotten)", n)
	}
	if rtt, ok := p.OnPong(t0.Add(30*ms), Pong(second)); !ok || rtt != 20*ms {
		t.Fatalf("OnPong = %v, %v; want 20ms, true", rtt, ok)
	}
}

func TestPingerSent(t *testing.T) {
	tests := []struct {
		name   string
		nonce  uint64 // nonce passed to Sent; the ping's is 7
		sentAt time.Duration
		want   time.Duration // RTT of a pong at t0+50ms
	}{
		{"later send time shortens the RTT", 7, 10 * ms, 40 * ms},
		{"earlier send time is ignored", 7, -10 * ms, 50 * ms},
		{"unknown nonce changes nothing", 8, 10 * ms, 50 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Pinger{Rand: seq(7)}
			ping := p.NextPing(t0)
			p.Sent(tt.nonce, t0.Add(tt.sentAt))
			if got, ok := p.OnPong(t0.Add(50*ms), Pong(ping)); !ok || got != tt.want {
				t.Fatalf("OnPong = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
	var p Pinger
	ping := p.NextPing(t0)
	p.OnPong(t0.Add(ms), Pong(ping))
	p.Sent(ping.Nonce, t0.Add(2*ms)) // answered already: no effect, no panic
	if p.Outstanding() != 0 {
		t.Fatal("Sent revived an answered ping")
	}
}
