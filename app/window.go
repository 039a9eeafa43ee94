package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fairshare/assets"
	"fairshare/engine"
)

// mainWindow owns the window and everything in it. All fields are touched
// on the UI thread only; engine calls happen in goroutines (see actions.go)
// and readings arrive through the poller.
type mainWindow struct {
	app      fyne.App
	win      fyne.Window
	eng      Engine
	validate func(string) error // engine.ValidateSource; swapped in tests

	list    *sortedTable[engine.TorrentSnapshot]
	details *detailsView
	status  *statusBar
	tools   *toolbar
	split   *container.Split
	empty   fyne.CanvasObject
	history *speedHistory
	notes   *notifier
	poll    *poller
	tray    *trayMenu // nil without a system tray

	snap       engine.Snapshot
	settings   engine.Settings
	wantSelect string     // a just-added torrent to select once it shows up
	adding     *addDialog // the open add dialog, so a second paste reuses it
	hidden     bool       // the window is hidden to the tray
}

func newMainWindow(a fyne.App, eng Engine) *mainWindow {
	m := &mainWindow{
		app: a, eng: eng, validate: engine.ValidateSource,
		win:     a.NewWindow("Fairshare"),
		list:    newTorrentList(),
		details: newDetailsView(a.Clipboard),
		status:  newStatusBar(),
		history: newSpeedHistory(),
		notes:   newNotifier(a.SendNotification),
	}
	m.poll = newPoller(eng, m.apply)
	m.list.onSelect = func(string) { m.showSelection() }
	m.tools = newToolbar(toolbarActions{
		addMagnet: func() { m.showAddDialog("") }, addFile: m.chooseTorrentFile,
		pause: m.pauseSelected, resume: m.resumeSelected, remove: m.confirmRemove,
		openFolder: m.openSelectedFolder, recheck: m.recheckSelected, settings: func() { m.showSettings() },
	})
	m.win.SetIcon(assets.Icon)
	m.win.SetContent(m.layout())
	m.win.Resize(fyne.NewSize(1200, 760))
	m.win.SetOnDropped(m.dropped)
	m.win.Canvas().AddShortcut(&fyne.ShortcutPaste{}, func(fyne.Shortcut) { m.pasted() })
	m.win.SetCloseIntercept(m.closeRequested)
	return m
}

func (m *mainWindow) layout() fyne.CanvasObject {
	m.split = container.NewVSplit(m.list.content, m.details.content)
	m.split.Offset = 0.45
	m.empty = m.emptyState()
	m.split.Hide()
	return container.NewBorder(m.tools.content, m.status.content, nil, nil,
		container.NewStack(m.split, m.empty))
}

// emptyState greets a user with no torrents and says what to do first.
func (m *mainWindow) emptyState() fyne.CanvasObject {
	icon := canvas.NewImageFromResource(assets.Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))
	title := widget.NewLabelWithStyle("No torrents yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	how := widget.NewLabelWithStyle(
		"Paste a magnet link from a publisher: click + or press "+pasteKeys()+".",
		fyne.TextAlignCenter, fyne.TextStyle{})
	drop := widget.NewLabelWithStyle("You can also drop .torrent files onto this window.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	add := widget.NewButtonWithIcon("Add magnet link", theme.ContentAddIcon(), func() { m.showAddDialog("") })
	add.Importance = widget.HighImportance
	return container.NewCenter(container.NewVBox(icon, title, how, drop, container.NewCenter(add)))
}

// pasteKeys names the paste shortcut the way the platform spells it.
func pasteKeys() string {
	if runtime.GOOS == "darwin" {
		return "⌘V"
	}
	return "Ctrl+V"
}

// apply shows one engine reading; it runs on the UI thread.
func (m *mainWindow) apply(u update) {
	m.snap, m.settings = u.snap, u.settings
	m.history.record(u.snap)
	m.notes.check(u.snap)
	m.list.setRows(u.snap.Torrents)
	if m.wantSelect != "" && m.list.indexOf(m.wantSelect) >= 0 {
		m.list.selectKey(m.wantSelect)
		m.wantSelect = ""
	}
	m.showEmpty(len(u.snap.Torrents) == 0)
	m.showSelection()
	m.status.set(u.snap, u.settings)
}

func (m *mainWindow) showEmpty(empty bool) {
	if empty == m.empty.Visible() {
		return
	}
	if empty {
		m.split.Hide()
		m.empty.Show()
		return
	}
	m.empty.Hide()
	m.split.Show()
}

// showSelection updates everything that depends on the selected torrent.
func (m *mainWindow) showSelection() {
	sel := m.selectedTorrent()
	m.details.set(sel, m.history, &m.snap)
	m.tools.update(sel)
}

// selectedTorrent returns the selected torrent in the latest snapshot, or
// nil.
func (m *mainWindow) selectedTorrent() *engine.TorrentSnapshot {
	key := m.list.selected
	for i := range m.snap.Torrents {
		if key != "" && m.snap.Torrents[i].InfoHash == key {
			return &m.snap.Torrents[i]
		}
	}
	return nil
}

// start shows the window (unless it starts in the tray) and begins polling.
func (m *mainWindow) start() {
	m.settings = m.eng.Settings()
	m.tray = newTrayMenu(m)
	if m.tray == nil || !m.settings.StartMinimised || !trayIsShown() {
		m.win.Show()
	} else {
		m.hidden = true
		m.tray.sync(true)
	}
	go m.poll.run()
}

func (m *mainWindow) stop() { m.poll.close() }
