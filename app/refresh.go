package app

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"fairshare/engine"
)

// update is what one poll brings to the UI thread.
type update struct {
	snap     engine.Snapshot
	settings engine.Settings
}

// poller reads the engine off the UI thread and hands the newest reading
// to the UI with fyne.Do. A slow Snapshot only delays the next reading;
// a slow UI never queues more than one pending apply.
type poller struct {
	eng      Engine
	apply    func(update)
	interval time.Duration
	kick     chan struct{}
	stop     chan struct{}
	latest   atomic.Pointer[update]
	pending  atomic.Bool
	stopOnce sync.Once
}

func newPoller(eng Engine, apply func(update)) *poller {
	return &poller{
		eng: eng, apply: apply, interval: time.Second,
		kick: make(chan struct{}, 1), stop: make(chan struct{}),
	}
}

// run polls until close; start it with `go`.
func (p *poller) run() {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		p.deliver(update{snap: p.eng.Snapshot(), settings: p.eng.Settings()})
		select {
		case <-p.stop:
			return
		case <-t.C:
		case <-p.kick:
		}
	}
}

// deliver keeps only the newest update and schedules at most one apply.
func (p *poller) deliver(u update) {
	p.latest.Store(&u)
	if !p.pending.CompareAndSwap(false, true) {
		return // an apply is queued and will pick up this update
	}
	fyne.Do(func() {
		p.pending.Store(false)
		p.apply(*p.latest.Load())
	})
}

// refreshSoon asks for a reading now, e.g. right after a user action, so
// the UI reflects it without waiting for the next tick.
func (p *poller) refreshSoon() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *poller) close() { p.stopOnce.Do(func() { close(p.stop) }) }
