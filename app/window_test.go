package app

import (
	"testing"
	"time"
)

// However long the status texts get, the window still fits a 1024 px wide
// screen (or half of a 2048 px one): Fyne windows cannot shrink below
// their content's minimum size.
func TestWindowFitsSmallScreen(t *testing.T) {
	snap := demoSnapshot(time.Now())
	snap.DownLimit, snap.UpLimit = 100<<20, 100<<20
	snap.DownRate, snap.UpRate = 99.9*(1<<20), 99.9*(1<<20)
	snap.ListenAddr = "[2001:db8::1234:5678]:42069"
	snap.Torrents = snap.Torrents[2:]
	snap.Torrents[0].Fairness.Reason = "heartbeat: ratio 1.18 ≥ 1.00, uploads open for 2s every 30s so peers stay"
	m, eng := newTestWindow(t, snap)
	st := eng.Settings()
	st.DHT, st.PortForwarding = true, true
	m.apply(update{snap: snap, settings: st})
	selectTorrent(t, m, snap.Torrents[0].InfoHash)

	if w := m.win.Content().MinSize().Width; w > 1024 {
		t.Errorf("window needs %.0f px of width, want ≤ 1024", w)
	}
	if got := m.status.fairness.Text; got != "Fairness: "+snap.Torrents[0].Fairness.Reason {
		t.Errorf("fairness label %q", got)
	}
}
