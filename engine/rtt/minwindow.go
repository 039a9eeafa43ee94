package rtt

import "time"

// windowSlots bounds the deque: samples landing in the same slot
// (window/windowSlots wide) are coalesced, so at most about windowSlots+2
// entries are live however fast samples arrive. The price is that Min
// covers between window and window+window/windowSlots of history.
const windowSlots = 64

type windowPoint struct {
	at time.Time
	v  time.Duration
}

// minWindow is a monotonic deque: values strictly increase from front to
// back, so the front is always the minimum and each sample is pushed and
// popped at most once (O(1) amortised).
type minWindow struct {
	points []windowPoint
	epoch  time.Time // slot numbering origin: first sample's time
}

// add requires now to be non-decreasing across calls; the Estimator
// guarantees that by clamping backwards clocks.
func (w *minWindow) add(now time.Time, v, window time.Duration) {
	if w.epoch.IsZero() {
		w.epoch = now
	}
	n := len(w.points)
	for n > 0 && w.points[n-1].v >= v {
		n--
	}
	w.points = w.points[:n]
	if n > 0 && w.slot(w.points[n-1].at, window) == w.slot(now, window) {
		// The back is smaller and from this slot: let it stand in for v
		// for as long as v would have lived.
		w.points[n-1].at = now
	} else {
		w.points = append(w.points, windowPoint{at: now, v: v})
	}
	w.expire(now, window)
}

func (w *minWindow) expire(now time.Time, window time.Duration) {
	i := 0
	for i < len(w.points)-1 && now.Sub(w.points[i].at) > window {
		i++
	}
	w.points = w.points[i:]
}

func (w *minWindow) slot(t time.Time, window time.Duration) int64 {
	width := window / windowSlots
	if width <= 0 {
		width = 1
	}
	return int64(t.Sub(w.epoch) / width)
}

func (w *minWindow) min() time.Duration {
	if len(w.points) == 0 {
		return 0
	}
	return w.points[0].v
}
