package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// The speed chart draws the global caps as labelled lines and follows a
// cap change on the next refresh; an unlimited cap has no line.
func TestSpeedChartFollowsCaps(t *testing.T) {
	now := time.Now()
	snap := demoSnapshot(now)
	m, _ := newTestWindow(t, snap)
	for i := 0; i < 30; i++ {
		s := demoSnapshot(now.Add(time.Duration(i) * time.Second))
		m.apply(update{snap: s})
	}
	selectTorrent(t, m, snap.Torrents[0].InfoHash)
	m.details.tabs.SelectIndex(3) // Speed
	if m.details.speed.Size().Height < 100 {
		t.Fatalf("speed chart is only %v", m.details.speed.Size())
	}
	r := test.WidgetRenderer(m.details.speed).(*speedChartRenderer)

	if r.downCap.Visible() || r.downCapText.Visible() {
		t.Error("an unlimited download cap is drawn")
	}
	if !r.upCap.Visible() || r.upCapText.Text != "up cap 2.00 MiB/s" {
		t.Fatalf("up cap line shown=%v label %q", r.upCap.Visible(), r.upCapText.Text)
	}
	before := r.upCap.Position1.Y

	lower := demoSnapshot(now.Add(31 * time.Second))
	lower.UpLimit = 300 << 10
	m.apply(update{snap: lower})
	if r.upCapText.Text != "up cap 300 KiB/s" {
		t.Errorf("after lowering the cap the label reads %q", r.upCapText.Text)
	}
	if after := r.upCap.Position1.Y; after <= before {
		t.Errorf("a lower cap should sit lower on the chart: y %.0f -> %.0f", before, after)
	}
	if r.upCapBox.Position().Y+r.upCapBox.Size().Height > r.upCap.Position1.Y {
		t.Error("the cap label overlaps its own line")
	}
}
