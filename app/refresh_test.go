package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// The poller reads the engine on its own goroutine, delivers readings,
// reads again at once when kicked, and stops when closed.
func TestPollerDeliversAndStops(t *testing.T) {
	test.NewTempApp(t)
	eng := newFakeEngine(demoSnapshot(time.Now()))
	got := make(chan update, 4)
	p := newPoller(eng, func(u update) { got <- u })
	p.interval = time.Hour // only the first reading and kicks count
	done := make(chan struct{})
	go func() { p.run(); close(done) }()

	if u := receive(t, got, "first reading"); len(u.snap.Torrents) != 3 || u.settings.TargetRatio != 1 {
		t.Fatalf("first reading %+v", u)
	}
	p.refreshSoon()
	receive(t, got, "reading after a kick")
	p.close()
	p.close() // closing twice (window closed, then app quit) must not panic
	receive(t, done, "poller to stop")
}
