package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// addTimeout bounds an Add, which may fetch a .torrent over HTTP.
const addTimeout = time.Minute

// inBackground runs an engine call off the UI thread, so a busy engine never
// freezes the window, reports a failure in a dialog, and asks for a fresh
// reading so the result shows at once.
func (m *mainWindow) inBackground(what string, call func() error) {
	go func() {
		if err := call(); err != nil {
			fyne.Do(func() { m.showError(what, err) })
		}
		m.poll.refreshSoon()
	}()
}

func (m *mainWindow) showError(what string, err error) {
	dialog.ShowError(fmt.Errorf("%s: %w", what, err), m.win)
}

// addSources adds each source in the background and selects the last one
// added once it appears in a snapshot.
func (m *mainWindow) addSources(sources []string) {
	sources = absSources(sources)
	m.inBackground("Could not add", func() error {
		var errs []error
		for _, s := range sources {
			ctx, cancel := context.WithTimeout(context.Background(), addTimeout)
			hash, err := m.eng.Add(ctx, s, engine.AddOptions{})
			cancel()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", shorten(s, 60), err))
				continue
			}
			fyne.Do(func() { m.wantSelect = hash })
		}
		return errors.Join(errs...)
	})
}

// shorten keeps error messages about long magnets readable.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// chooseTorrentFile lets the user pick a .torrent file to add.
func (m *mainWindow) chooseTorrentFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			m.showError("Could not open the file", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		m.addSources([]string{path})
	}, m.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".torrent"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (m *mainWindow) pauseSelected() {
	hash := m.list.selected
	m.inBackground("Could not pause", func() error { return m.eng.Pause(hash) })
}

func (m *mainWindow) resumeSelected() {
	hash := m.list.selected
	m.inBackground("Could not resume", func() error { return m.eng.Resume(hash) })
}

func (m *mainWindow) recheckSelected() {
	hash := m.list.selected
	m.inBackground("Could not recheck", func() error { return m.eng.Recheck(hash) })
}

// confirmRemove asks before removing and, separately, whether to delete the
// downloaded data: keeping it is the default because it cannot be undone.
func (m *mainWindow) confirmRemove() {
	t := m.selectedTorrent()
	if t == nil {
		return
	}
	hash := t.InfoHash
	deleteData := widget.NewCheck("Also delete the downloaded files", nil)
	msg := widget.NewLabel(fmt.Sprintf("Remove %q from Fairshare?", torrentName(*t)))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Remove torrent", "Remove", "Cancel",
		container.NewVBox(msg, deleteData), func(ok bool) {
			if !ok {
				return
			}
			del := deleteData.Checked
			m.inBackground("Could not remove", func() error { return m.eng.Remove(hash, del) })
		}, m.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(440, 180))
	d.Show()
}

func (m *mainWindow) openSelectedFolder() {
	t := m.selectedTorrent()
	if t == nil {
		return
	}
	dir := torrentFolder(*t)
	m.inBackground("Could not open the folder", func() error { return openFolder(dir) })
}

// pauseAll and resumeAll act on every torrent of the latest snapshot.
func (m *mainWindow) pauseAll() {
	for _, t := range m.snap.Torrents {
		if t.State != engine.StatePaused {
			hash := t.InfoHash
			m.inBackground("Could not pause", func() error { return m.eng.Pause(hash) })
		}
	}
}

func (m *mainWindow) resumeAll() {
	for _, t := range m.snap.Torrents {
		if t.State == engine.StatePaused {
			hash := t.InfoHash
			m.inBackground("Could not resume", func() error { return m.eng.Resume(hash) })
		}
	}
}
