package engine

import "time"

// meterWindow is how far back a rate looks: long enough to smooth the
// bursts of 16 KiB chunks, short enough that a cap change shows within two
// seconds.
const meterWindow = 3 * time.Second

type meterSample struct {
	at    time.Time
	total int64
}

// meter turns a growing byte counter into a rate over meterWindow.
type meter struct {
	samples []meterSample
}

// add records the counter's value at a moment. A counter that went down
// (a fresh connection object) restarts the meter.
func (m *meter) add(at time.Time, total int64) {
	if n := len(m.samples); n > 0 && (total < m.samples[n-1].total || !at.After(m.samples[n-1].at)) {
		if total < m.samples[n-1].total {
			m.samples = m.samples[:0]
		} else {
			m.samples[n-1].total = total
			return
		}
	}
	m.samples = append(m.samples, meterSample{at, total})
	m.trim(at)
}

// trim drops samples older than the window but keeps one at or before its
// start, so the rate always spans the whole window once it is full.
func (m *meter) trim(now time.Time) {
	cut := 0
	for cut+1 < len(m.samples) && now.Sub(m.samples[cut+1].at) >= meterWindow {
		cut++
	}
	m.samples = m.samples[cut:]
}

// rate is bytes per second between the oldest and newest sample.
func (m *meter) rate() float64 {
	if len(m.samples) < 2 {
		return 0
	}
	first, last := m.samples[0], m.samples[len(m.samples)-1]
	dt := last.at.Sub(first.at).Seconds()
	if dt <= 0 {
		return 0
	}
	return float64(last.total-first.total) / dt
}
