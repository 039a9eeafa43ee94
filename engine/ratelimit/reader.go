// Package ratelimit throttles reads through a shared token bucket
// (golang.org/x/time/rate), the way Fairshare caps downloads on the
// sockets it owns.
package ratelimit

import (
	"io"
	"time"

	"golang.org/x/time/rate"
)

// A read is at most chunkTime worth of the limit, within [minChunk,
// maxChunk] and the burst. Readers take turns in the limiter's queue one
// read at a time, and anacrolix's web seed reader takes up to 128 KiB a
// turn: much smaller reads would leave TCP peers a sliver of the cap, and
// their requests answered so late that the web seed fetches the same
// chunks again. The time bound keeps a read at a low cap from being held
// for seconds.
const (
	chunkTime = 250 * time.Millisecond
	minChunk  = 16 << 10
	maxChunk  = 128 << 10
)

// recheck bounds each wait for tokens, so that a limit change (or the
// limit being lifted) reaches a waiting reader within this delay.
const recheck = 100 * time.Millisecond

// Reader reads from R at most as fast as L allows, counted together with
// every other user of L. It reads at most one chunk, then reserves what
// arrived and holds it until the reservation is due: readers queue in
// the limiter's order with anacrolix's web seed readers, which pay the
// same way, so neither starves the other. Unlike anacrolix's reader (which
// sleeps a delay planned at reservation time) it re-plans when the limit
// changes while it waits, so a new limit applies within 100 ms; and it
// holds no tokens while waiting for data, so idle connections cost the
// others nothing. Each reader overdraws L by at most one chunk. An
// unlimited L costs one Limit call per Read.
type Reader struct {
	R io.Reader
	L *rate.Limiter
}

// NewReader returns r throttled by l; a nil l leaves r as it is.
func NewReader(r io.Reader, l *rate.Limiter) io.Reader {
	if l == nil {
		return r
	}
	return Reader{R: r, L: l}
}

func (r Reader) Read(b []byte) (int, error) {
	if len(b) == 0 || r.L.Limit() == rate.Inf {
		return r.R.Read(b)
	}
	n, err := r.R.Read(b[:min(len(b), chunk(r.L))])
	pay(r.L, n)
	return n, err
}

// chunk is the most one read may take under l's current limit and burst.
func chunk(l *rate.Limiter) int {
	c := int(float64(l.Limit()) * chunkTime.Seconds())
	return max(min(c, maxChunk, l.Burst()), 1, min(minChunk, l.Burst()))
}

// pay takes n tokens from l, in parts no larger than its burst (x/time/rate
// refuses larger reservations), waiting until each is due.
func pay(l *rate.Limiter, n int) {
	for n > 0 {
		lim := l.Limit()
		k := min(n, l.Burst())
		if lim == rate.Inf || k <= 0 {
			return // unlimited, or a zero burst that never grants anything
		}
		res := l.ReserveN(time.Now(), k)
		if !res.OK() {
			continue // the burst shrank between the two calls
		}
		wait(l, lim, res.Delay())
		n -= k
	}
}

// wait sleeps for d, planned at limit lim, and follows changes of l's
// limit meanwhile: what is left of the wait is scaled to the new limit
// (the tokens still owed are the same), and an unlimited l ends it. The
// limiter keeps its debt across SetLimit, so every waiter scaling the same
// way keeps their order and the total rate is the new limit at once.
func wait(l *rate.Limiter, lim rate.Limit, d time.Duration) {
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		time.Sleep(min(left, recheck))
		now := l.Limit()
		if now == lim {
			continue
		}
		if now == rate.Inf {
			return
		}
		left = time.Until(deadline)
		if left > 0 && now > 0 {
			deadline = time.Now().Add(time.Duration(float64(left) * float64(lim) / float64(now)))
		}
		lim = now
	}
}
