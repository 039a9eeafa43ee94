package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// detailsView shows the selected torrent in tabs, or a hint when nothing is
// selected.
type detailsView struct {
	content fyne.CanvasObject
	tabs    *container.AppTabs
	hint    fyne.CanvasObject
	peers   *sortedTable[engine.PeerSnapshot]
	pieces  *piecesView
	files   *sortedTable[engine.FileSnapshot]
	noPeers *widget.Label // says why the peers table is empty
	noFiles *widget.Label
	speed   *speedChart
	general *generalView
	shown   string // info hash on display, to reset peer selection on change
}

func newDetailsView(clip func() fyne.Clipboard) *detailsView {
	d := &detailsView{
		peers:   newPeersTable(),
		pieces:  newPiecesView(),
		files:   newFilesTable(),
		speed:   newSpeedChart(),
		general: newGeneralView(clip),
	}
	d.noPeers, d.noFiles = widget.NewLabel(""), widget.NewLabel("")
	d.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Peers", theme.AccountIcon(), withHint(d.peers.content, d.noPeers)),
		container.NewTabItemWithIcon("Pieces", theme.GridIcon(), d.pieces.content),
		container.NewTabItemWithIcon("Files", theme.FolderIcon(), withHint(d.files.content, d.noFiles)),
		container.NewTabItemWithIcon("Speed", theme.HistoryIcon(), container.NewPadded(d.speed)),
		container.NewTabItemWithIcon("General", theme.InfoIcon(), d.general.content),
	)
	hint := widget.NewLabel("Select a torrent to see its peers, pieces, files and speed.")
	hint.Alignment = fyne.TextAlignCenter
	d.hint = container.NewCenter(hint)
	d.content = container.NewStack(d.tabs, d.hint)
	d.tabs.Hide()
	return d
}

// set shows torrent t (nil for none) with its speed history.
func (d *detailsView) set(t *engine.TorrentSnapshot, h *speedHistory, snap *engine.Snapshot) {
	if t == nil {
		d.tabs.Hide()
		d.hint.Show()
		d.shown = ""
		return
	}
	if d.shown != t.InfoHash {
		d.shown = t.InfoHash
		d.peers.selectKey("") // a peer address means nothing in another swarm
	}
	d.hint.Hide()
	d.tabs.Show()
	d.peers.setRows(t.Peers)
	d.files.setRows(t.Files)
	setHint(d.noPeers, len(t.Peers) == 0, noPeersHint(*t))
	setHint(d.noFiles, len(t.Files) == 0, "Files appear once the torrent's metadata arrives.")
	d.pieces.set(*t)
	down, up := h.get(t.InfoHash)
	d.speed.set(down, up, snap.DownLimit, snap.UpLimit)
	d.general.set(*t)
}

// withHint overlays a centred hint on a table, for when it has no rows: an
// empty grid looks broken, a sentence explains.
func withHint(table fyne.CanvasObject, hint *widget.Label) fyne.CanvasObject {
	hint.Alignment = fyne.TextAlignCenter
	hint.Hide()
	return container.NewStack(table, container.NewCenter(hint))
}

func setHint(hint *widget.Label, show bool, text string) {
	if !show {
		hint.Hide()
		return
	}
	setLabel(hint, text)
	hint.Show()
}

// noPeersHint says why a torrent has no peers in words that suggest what,
// if anything, to do.
func noPeersHint(t engine.TorrentSnapshot) string {
	switch t.State {
	case engine.StatePaused:
		return "Paused: resume it to connect to peers."
	case engine.StateError:
		return "Stopped by an error: see General."
	case engine.StateFetchingMetadata:
		return "Looking for the publisher and other peers…"
	}
	return "No peers connected right now."
}
