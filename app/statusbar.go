package app

import (
	"fmt"
	"net"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// statusBar sums up the session: rates against the caps, how much we gave
// back overall, what the fairness controller is doing, and how peers reach
// us.
type statusBar struct {
	content       fyne.CanvasObject
	down, up      *widget.Label
	ratio, listen *widget.Label
	torrents      *widget.Label
	fairness      *widget.Label
}

func newStatusBar() *statusBar {
	s := &statusBar{
		down: widget.NewLabel(""), up: widget.NewLabel(""),
		ratio: widget.NewLabel(""), listen: widget.NewLabel(""),
		torrents: widget.NewLabel(""), fairness: widget.NewLabel(""),
	}
	// The fairness line is the one that can grow long; it gives way
	// (with an ellipsis) so the bar never holds the window wider than a
	// small screen.
	s.fairness.Truncation = fyne.TextTruncateEllipsis
	left := container.NewHBox(s.down, s.up, widget.NewSeparator(), s.ratio, widget.NewSeparator(),
		s.torrents, widget.NewSeparator())
	s.content = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, left, s.listen, s.fairness))
	s.set(engine.Snapshot{}, engine.Settings{})
	return s
}

func (s *statusBar) set(snap engine.Snapshot, st engine.Settings) {
	setLabel(s.down, "↓ "+formatRateOf(snap.DownRate, snap.DownLimit))
	setLabel(s.up, "↑ "+formatRateOf(snap.UpRate, snap.UpLimit))
	setLabel(s.ratio, "Ratio "+globalRatio(snap.Torrents))
	setLabel(s.torrents, torrentCount(len(snap.Torrents)))
	setLabel(s.fairness, fairnessSummary(snap.Torrents, st))
	setLabel(s.listen, networkText(snap.ListenAddr, st))
}

// networkText says where peers reach us and which discovery beyond the
// publisher's tracker is on: both explain why a swarm is small.
func networkText(listen string, st engine.Settings) string {
	s := "Not listening for peers"
	if listen != "" {
		s = "Port " + listenPort(listen)
	}
	return s + " · DHT " + onOff(st.DHT) + " · UPnP " + onOff(st.PortForwarding)
}

// listenPort keeps only the port of a listen address: the wildcard host
// tells a user nothing.
func listenPort(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil {
		return port
	}
	return addr
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
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
