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
// maxChunk]: readers sharing a limiter each overdraw it by at most one
// read, so small reads keep the overshoot small at low caps; the floor
// keeps the number of reads sane.
const (
	chunkTime = 50 * time.Millisecond
	minChunk  = 4 << 10
	maxChunk  = 256 << 10
)

// recheck bounds each wait for tokens, so that a limit change (or the
// limit being lifted) reaches a waiting reader within this delay.
const recheck = 100 * time.Millisecond

// Reader reads from R at most as fast as L allows, counted together with
// every other user of L. Before each read it waits until L is out of debt,
// then reads at most one chunk and charges what arrived, which may put L
// into debt that every reader then waits out. Unlike anacrolix's reader
// (read, then sleep a delay planned at that moment) it re-reads the limit
// while waiting, so a changed limit applies within 100 ms, and it never
// holds tokens for data that has not arrived, so idle connections cost
// the others nothing. An unlimited L costs one Limit call per Read.
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
	lim := r.L.Limit()
	if len(b) == 0 || lim == rate.Inf {
		return r.R.Read(b)
	}
	if !waitOutDebt(r.L) {
		return r.R.Read(b) // lifted while waiting
	}
	n, err := r.R.Read(b[:min(len(b), chunk(r.L))])
	charge(r.L, n)
	return n, err
}

// chunk is the most one read may take under l's current limit and burst.
func chunk(l *rate.Limiter) int {
	c := int(float64(l.Limit()) * chunkTime.Seconds())
	return max(min(c, maxChunk, l.Burst()), 1, min(minChunk, l.Burst()))
}

// waitOutDebt waits until l has tokens again. It reports false if l
// became unlimited meanwhile.
func waitOutDebt(l *rate.Limiter) bool {
	for {
		lim := l.Limit()
		if lim == rate.Inf {
			return false
		}
		tokens := l.Tokens()
		if tokens > 0 {
			return true
		}
		wait := time.Duration(float64(time.Second) * (-tokens + 1) / float64(lim))
		if lim <= 0 {
			wait = recheck
		}
		time.Sleep(min(max(wait, time.Millisecond), recheck))
	}
}

// charge takes n tokens from l without waiting, in parts no larger than
// its burst (x/time/rate refuses larger reservations outright).
func charge(l *rate.Limiter, n int) {
	now := time.Now()
	for n > 0 {
		k := min(n, max(l.Burst(), 1))
		if !l.ReserveN(now, k).OK() && l.Burst() == 0 {
			return // a zero burst with a finite limit grants nothing: drop the charge
		}
		n -= k
	}
}
