package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// statusBar sums up the session: rates against the caps, how much we gave
// back overall, and where peers reach us.
type statusBar struct {
	content       fyne.CanvasObject
	down, up      *widget.Label
	ratio, listen *widget.Label
	torrents      *widget.Label
}

func newStatusBar() *statusBar {
	s := &statusBar{
		down: widget.NewLabel(""), up: widget.NewLabel(""),
		ratio: widget.NewLabel(""), listen: widget.NewLabel(""),
		torrents: widget.NewLabel(""),
	}
	s.content = container.NewVBox(widget.NewSeparator(), container.NewHBox(
		s.down, s.up, widget.NewSeparator(), s.ratio, widget.NewSeparator(), s.torrents,
		layout.NewSpacer(), s.listen))
	s.set(engine.Snapshot{})
	return s
}

func (s *statusBar) set(snap engine.Snapshot) {
	setLabel(s.down, "↓ "+formatRateOf(snap.DownRate, snap.DownLimit))
	setLabel(s.up, "↑ "+formatRateOf(snap.UpRate, snap.UpLimit))
	setLabel(s.ratio, "Ratio "+globalRatio(snap.Torrents))
	setLabel(s.torrents, torrentCount(len(snap.Torrents)))
	listen := "Not listening for peers"
	if snap.ListenAddr != "" {
		listen = "Listening on " + snap.ListenAddr
	}
	setLabel(s.listen, listen)
}

// globalRatio is lifetime uploaded over downloaded across all torrents.
func globalRatio(ts []engine.TorrentSnapshot) string {
	var down, up int64
	for _, t := range ts {
		down += t.Downloaded
		up += t.Uploaded
	}
	r := 0.0
	if down > 0 {
		r = float64(up) / float64(down)
	}
	return formatRatio(r, down, up)
}

func torrentCount(n int) string {
	if n == 1 {
		return "1 torrent"
	}
	return fmt.Sprintf("%d torrents", n)
}

// setLabel avoids a relayout when a value did not change, which is most of
// them on most refreshes.
func setLabel(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}
