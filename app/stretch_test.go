package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// The name column takes the width the other columns leave, and falls back
// to its own width in a narrow window.
func TestNameColumnStretches(t *testing.T) {
	snap := demoSnapshot(time.Now())
	m, _ := newTestWindow(t, snap)
	m.apply(update{snap: snap})
	l := m.list.content.(*fyne.Container).Layout.(*stretchColumn)

	m.win.Resize(fyne.NewSize(1400, 900))
	wide := l.last
	if wide <= l.base+200 {
		t.Fatalf("name column is %.0f wide in a 1400 px window, base %.0f", wide, l.base)
	}
	m.win.Resize(fyne.NewSize(1600, 900))
	if l.last != wide+200 {
		t.Errorf("200 px more window gave the name column %.0f, want %.0f", l.last, wide+200)
	}
	m.win.Resize(fyne.NewSize(700, 600))
	if l.last != l.base {
		t.Errorf("narrow window: name column %.0f, want its base %.0f", l.last, l.base)
	}

	// In the peers table the "why choked" column stretches: its reasons
	// are the long texts there.
	selectTorrent(t, m, snap.Torrents[0].InfoHash)
	m.win.Resize(fyne.NewSize(1600, 900))
	p := m.details.peers.content.(*fyne.Container).Layout.(*stretchColumn)
	if p.col != 10 || p.last <= p.base {
		t.Errorf("peers table stretches column %d to %.0f (base %.0f), want Choked (10) wider", p.col, p.last, p.base)
	}
}
