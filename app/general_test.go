package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// The General tab shows the selected torrent's facts, including its
// trackers, web seeds and fairness decision, and Copy puts the magnet on
// the clipboard.
func TestGeneralTab(t *testing.T) {
	snap := demoSnapshot(time.Now())
	m, _ := newTestWindow(t, snap)
	m.apply(update{snap: snap})
	selectTorrent(t, m, snap.Torrents[0].InfoHash)

	g := m.details.general
	for field, want := range map[string]string{
		"Info hash": "c9e15763f722f23e98a29decdfae341b98d53056",
		"Magnet":    goodMagnet,
		"Size":      "4.30 GiB",
		"Ratio":     "0.37",
		"Fairness":  "active: ratio 0.37 < 1.00",
		"Trackers":  "udp://tracker.opentrackr.org:1337/announce\nwss://tracker.openwebtorrent.com",
		"Web seeds": "https://cdn.openearth.example/atlas-2025/",
		"Problem":   "—",
	} {
		if got := g.values[field].Text; got != want {
			t.Errorf("General %s = %q, want %q", field, got, want)
		}
	}
	test.Tap(g.copy)
	if got := m.app.Clipboard().Content(); got != goodMagnet {
		t.Errorf("Copy put %q on the clipboard", got)
	}

	// A torrent without a decision yet shows a dash, not an empty line.
	selectTorrent(t, m, snap.Torrents[1].InfoHash)
	if got := g.values["Fairness"].Text; got != "exempt: publisher" {
		t.Errorf("publisher's fairness = %q", got)
	}
	next := demoSnapshot(time.Now())
	next.Torrents[1].Fairness.Mode, next.Torrents[1].Fairness.Reason = "", ""
	m.apply(update{snap: next})
	if got := g.values["Fairness"].Text; got != "—" {
		t.Errorf("fairness before a decision = %q", got)
	}
}
