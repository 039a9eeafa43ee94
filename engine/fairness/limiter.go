package fairness

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Burst bounds. The floor covers any chunk a peer may request (16 KiB in
// practice, 128 KiB at most by BEP 3 custom): anacrolix panics if a
// reservation exceeds the burst, and rejects requests longer than it. The
// cap keeps an idle fast limiter from letting a large spike through.
const (
	minBurst = 256 << 10
	maxBurst = 4 << 20
)

// setMu serialises SetLimit so concurrent callers cannot leave a limiter
// with one call's limit and the other's burst.
var setMu sync.Mutex

// NewLimiter returns a limiter for kibPerSec KiB/s; ≤ 0 is unlimited. The
// burst is always explicit: anacrolix fills in a zero burst with an int
// overflow when the limit is rate.Inf, which stalls transfers after a
// later SetLimit.
//
// A capped limiter starts with an empty bucket. A full one let a new
// session move a whole burst (at least 256 KiB) in its first instant, over
// the cap the user set: a publisher capped at 100 KiB/s sent 320 KiB in
// its first second, all of it the same first pieces to every client.
func NewLimiter(kibPerSec int64) *rate.Limiter {
	l := rate.NewLimiter(rate.Inf, maxBurst)
	SetLimit(l, kibPerSec) // a cap set on an unlimited limiter starts empty
	return l
}

// SetLimit changes l to kibPerSec KiB/s (≤ 0 unlimited), burst included.
// Goroutines already sleeping in l.Wait keep the delay computed before the
// change: x/time/rate does not re-plan them.
func SetLimit(l *rate.Limiter, kibPerSec int64) {
	setMu.Lock()
	defer setMu.Unlock()
	now := time.Now()
	wasUnlimited := l.Limit() == rate.Inf
	// Burst first: a reader between the calls then never sees a finite
	// limit with a stale burst, which anacrolix uses to accept requests.
	l.SetBurstAt(now, burstFor(kibPerSec))
	l.SetLimitAt(now, limitFor(kibPerSec))
	if wasUnlimited && kibPerSec > 0 {
		// An unlimited bucket is full: a new cap starts empty, or it
		// would let a burst through over the cap.
		l.AllowN(now, l.Burst())
	}
}

func limitFor(kibPerSec int64) rate.Limit {
	if kibPerSec <= 0 {
		return rate.Inf
	}
	return rate.Limit(float64(kibPerSec) * 1024)
}

// burstFor is one second of rate within [minBurst, maxBurst]; unlimited
// gets maxBurst, so switching to a limit later starts from a sane bucket.
func burstFor(kibPerSec int64) int {
	if kibPerSec <= 0 || kibPerSec >= maxBurst>>10 {
		return maxBurst
	}
	return max(int(kibPerSec)<<10, minBurst)
}
