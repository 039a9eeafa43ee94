package ratelimit

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// endless is a source that always has data; short caps each read, like a
// socket handing over what has arrived.
type endless struct{ short int }

func (e endless) Read(b []byte) (int, error) {
	if e.short > 0 && len(b) > e.short {
		b = b[:e.short]
	}
	return len(b), nil
}

// drain reads from each reader on its own goroutine into total until
// stop closes.
func drain(readers []io.Reader, bufSize int, total *atomic.Int64, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, bufSize)
			for {
				select {
				case <-stop:
					return
				default:
				}
				n, err := r.Read(buf)
				total.Add(int64(n))
				if err != nil {
					return
				}
			}
		}()
	}
	return &wg
}

// TestReaderSharedCap: readers sharing one limiter read, together, what
// the limit allows — never more than the burst plus rate × time plus one
// chunk per reader (each may overdraw by one read), however many readers,
// buffer sizes or short reads, and not much less.
func TestReaderSharedCap(t *testing.T) {
	const window = 2 * time.Second
	for _, tc := range []struct {
		name    string
		readers int
		buf     int
		short   int
		kib     float64
	}{
		{"one reader, big buffer", 1, 1 << 20, 0, 512},
		{"eight readers", 8, 256 << 10, 0, 512},
		{"short reads", 4, 64 << 10, 1500, 256},
		{"tiny buffers", 3, 100, 0, 128},
		{"fast cap", 4, 256 << 10, 0, 8 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			limit := tc.kib * 1024
			burst := 64 << 10
			l := rate.NewLimiter(rate.Limit(limit), burst)
			var readers []io.Reader
			for range tc.readers {
				readers = append(readers, NewReader(endless{tc.short}, l))
			}
			var total atomic.Int64
			stop := make(chan struct{})
			start := time.Now()
			wg := drain(readers, tc.buf, &total, stop)
			time.Sleep(window)
			got := float64(total.Load())
			elapsed := time.Since(start).Seconds()
			close(stop)
			wg.Wait()
			most := float64(burst) + limit*elapsed + float64(tc.readers*chunk(l))
			t.Logf("%.0f KiB in %.2f s, cap %.0f KiB/s: at most %.0f KiB", got/1024, elapsed, tc.kib, most/1024)
			if got > most {
				t.Errorf("read %.0f KiB, more than burst + rate × time + a chunk per reader = %.0f KiB", got/1024, most/1024)
			}
			if got < 0.85*limit*elapsed {
				t.Errorf("read %.0f KiB, under 85 %% of rate × time (%.0f KiB)", got/1024, limit*elapsed/1024)
			}
		})
	}
}

// TestReaderFollowsLimitChange: lowering the limit applies at once, and a
// read waiting on a slow limit returns soon after the limit is lifted.
func TestReaderFollowsLimitChange(t *testing.T) {
	t.Parallel()
	t.Run("lowered", func(t *testing.T) {
		t.Parallel()
		l := rate.NewLimiter(512<<10, 64<<10)
		var total atomic.Int64
		stop := make(chan struct{})
		wg := drain([]io.Reader{NewReader(endless{}, l), NewReader(endless{}, l)}, 128<<10, &total, stop)
		defer func() { close(stop); wg.Wait() }()
		time.Sleep(time.Second)
		from, t0 := total.Load(), time.Now()
		l.SetLimit(64 << 10)
		time.Sleep(3 * time.Second)
		secs := time.Since(t0).Seconds()
		got := float64(total.Load()-from) / secs / 1024
		t.Logf("%.1f KiB/s over %.1f s from lowering 512 → 64 KiB/s", got, secs)
		// Allowed over the new rate: what the waiting readers deliver at
		// the old rate before they notice (one recheck), and a chunk each.
		most := 64 + (512*recheck.Seconds()+2*float64(chunk(rate.NewLimiter(512<<10, 64<<10)))/1024)/secs
		if got > most || got < 64*0.85 {
			t.Errorf("%.1f KiB/s after lowering to 64 KiB/s, want 54–%.0f", got, most)
		}
	})
	t.Run("lifted", func(t *testing.T) {
		t.Parallel()
		l := rate.NewLimiter(1<<10, 64<<10)
		r := NewReader(endless{}, l)
		buf := make([]byte, 64<<10)
		now := time.Now()
		l.ReserveN(now, 64<<10)
		l.ReserveN(now, 64<<10) // 64 KiB in debt: the next read is 64 s away
		done := make(chan time.Time)
		go func() { r.Read(buf); done <- time.Now() }()
		time.Sleep(200 * time.Millisecond)
		lifted := time.Now()
		l.SetLimit(rate.Inf)
		select {
		case at := <-done:
			t.Logf("waiting read returned %v after the limit was lifted", at.Sub(lifted))
			if at.Sub(lifted) > time.Second {
				t.Errorf("read returned %v after the limit was lifted, want < 1 s", at.Sub(lifted))
			}
		case <-time.After(5 * time.Second):
			t.Fatal("read still waiting 5 s after the limit was lifted")
		}
	})
}

// TestReaderUnlimitedPassesThrough: an unlimited limiter hands the
// caller's whole buffer to the source and takes no tokens.
func TestReaderUnlimitedPassesThrough(t *testing.T) {
	l := rate.NewLimiter(rate.Inf, 1<<20)
	r := NewReader(endless{}, l)
	buf := make([]byte, 8<<20)
	for range 10 {
		if n, err := r.Read(buf); n != len(buf) || err != nil {
			t.Fatalf("Read = %d, %v; want %d, nil", n, err, len(buf))
		}
	}
	if NewReader(endless{}, nil) != (endless{}) {
		t.Error("a nil limiter should return the source itself")
	}
}

// TestConnLoopbackCap: a real TCP connection read through Conn at 256 KiB/s
// while the other end writes as fast as it can.
func TestConnLoopbackCap(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, endless{})
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	l := rate.NewLimiter(256<<10, 64<<10)
	c := NewConn(raw, l)
	defer c.Close()
	if c.NetConn() != raw {
		t.Error("NetConn does not return the wrapped connection")
	}
	start := time.Now()
	n, err := io.CopyN(io.Discard, c, 640<<10)
	if err != nil {
		t.Fatal(err)
	}
	// 64 KiB of burst, then 576 KiB at 256 KiB/s: 2.25 s.
	el := time.Since(start)
	t.Logf("%d KiB in %v", n>>10, el)
	if el < 2*time.Second || el > 3*time.Second {
		t.Errorf("640 KiB at 256 KiB/s (64 KiB burst) took %v, want 2.25 s", el)
	}
}

// BenchmarkReaderUnlimited against BenchmarkReaderRaw: the cost of the
// wrapper when there is no cap.
func BenchmarkReaderUnlimited(b *testing.B) {
	benchRead(b, NewReader(endless{}, rate.NewLimiter(rate.Inf, 1<<20)))
}

func BenchmarkReaderRaw(b *testing.B) { benchRead(b, endless{}) }

func benchRead(b *testing.B, r io.Reader) {
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		r.Read(buf)
	}
}

// TestConnHandshakeSkipsTheQueue: the first bytes of a connection arrive
// at once even when the limiter owes a minute, and are still charged.
func TestConnHandshakeSkipsTheQueue(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe()
	defer a.Close()
	l := rate.NewLimiter(1<<10, 64<<10)
	now := time.Now()
	l.ReserveN(now, 64<<10)
	l.ReserveN(now, 64<<10) // 64 s in debt
	c := NewConn(b, l)
	defer c.Close()
	go a.Write(make([]byte, 68))
	before := l.Tokens()
	start := time.Now()
	buf := make([]byte, 1<<10)
	n, err := c.Read(buf)
	if err != nil || n != 68 {
		t.Fatalf("Read = %d, %v; want the 68-byte handshake", n, err)
	}
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Errorf("handshake waited %v behind the limiter's debt", el)
	}
	if spent := before - l.Tokens(); spent < 60 {
		t.Errorf("handshake bytes not charged: tokens went down by %.0f, want ≈ 68", spent)
	}
}
