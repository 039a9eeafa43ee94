package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// toolbarActions are what the toolbar buttons do.
type toolbarActions struct {
	addMagnet, addFile, pause, resume, remove, openFolder, recheck, settings func()
}

// toolbar is a row of labelled buttons rather than a widget.Toolbar: Fyne
// has no tooltips, and a new user should not have to guess what an icon
// means.
type toolbar struct {
	content                      fyne.CanvasObject
	pause, resume, remove        *widget.Button
	openFolder, recheck, addFile *widget.Button
}

func newToolbar(a toolbarActions) *toolbar {
	t := &toolbar{
		addFile:    widget.NewButtonWithIcon("Add .torrent", theme.FileIcon(), a.addFile),
		pause:      widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), a.pause),
		resume:     widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), a.resume),
		remove:     widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), a.remove),
		openFolder: widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), a.openFolder),
		recheck:    widget.NewButtonWithIcon("Recheck", theme.ViewRefreshIcon(), a.recheck),
	}
	add := widget.NewButtonWithIcon("Add magnet", theme.ContentAddIcon(), a.addMagnet)
	add.Importance = widget.HighImportance // the one thing a new user must find
	settings := widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), a.settings)
	t.content = container.NewVBox(container.NewHBox(
		add, t.addFile, widget.NewSeparator(),
		t.pause, t.resume, t.recheck, t.remove, widget.NewSeparator(), t.openFolder,
		layout.NewSpacer(), settings,
	), widget.NewSeparator())
	t.update(nil)
	return t
}

// update enables only the buttons that make sense for the selected torrent
// (nil when none).
func (t *toolbar) update(sel *engine.TorrentSnapshot) {
	has := sel != nil
	paused := has && (sel.State == engine.StatePaused || sel.State == engine.StateError)
	enable(t.pause, has && !paused)
	enable(t.resume, paused)
	enable(t.remove, has)
	enable(t.openFolder, has && sel.SaveDir != "")
	enable(t.recheck, has && sel.PieceCount > 0)
}

func enable(b *widget.Button, on bool) {
	if on == b.Disabled() {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}
