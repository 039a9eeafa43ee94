package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"fairshare/assets"
)

// trayMenu is the system tray menu that keeps Fairshare reachable while
// the window is hidden and torrents seed in the background.
type trayMenu struct {
	menu *fyne.Menu
	show *fyne.MenuItem
}

// newTrayMenu installs the tray icon and menu; nil where there is no system
// tray (mobile, tests, a Linux session without DBus).
func newTrayMenu(m *mainWindow) *trayMenu {
	d, ok := m.app.(desktop.App)
	if !ok || !canUseTray() {
		return nil
	}
	t := &trayMenu{show: fyne.NewMenuItem("Hide window", m.toggleWindow)}
	quit := fyne.NewMenuItem("Quit", m.app.Quit)
	quit.IsQuit = true // stops Fyne appending a second Quit item
	t.menu = fyne.NewMenu("Fairshare", t.show, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Pause all", m.pauseAll), fyne.NewMenuItem("Resume all", m.resumeAll),
		fyne.NewMenuItemSeparator(), fyne.NewMenuItem("About Fairshare", m.showAbout), quit)
	d.SetSystemTrayMenu(t.menu)
	d.SetSystemTrayIcon(assets.Icon)
	d.SetSystemTrayWindow(m.win)
	return t
}

// sync makes the show/hide item name what it will do.
func (t *trayMenu) sync(hidden bool) {
	label := "Hide window"
	if hidden {
		label = "Show window"
	}
	if t.show.Label != label {
		t.show.Label = label
		t.menu.Refresh()
	}
}

func (m *mainWindow) toggleWindow() {
	if m.hidden {
		m.showWindow()
	} else {
		m.hideWindow()
	}
}

// showWindow brings the window back and to the front, from the tray or at
// a second instance's request.
func (m *mainWindow) showWindow() {
	m.win.Show()
	m.win.RequestFocus()
	m.hidden = false
	if m.tray != nil {
		m.tray.sync(false)
	}
}

func (m *mainWindow) hideWindow() {
	m.win.Hide()
	m.hidden = true
	if m.tray != nil {
		m.tray.sync(true)
	}
}

// closeRequested hides to the tray when the user wants torrents to keep
// seeding and a tray is on screen to bring the window back; otherwise it
// quits.
func (m *mainWindow) closeRequested() {
	if m.tray != nil && m.settings.KeepInTray && trayIsShown() {
		m.hideWindow()
		return
	}
	m.app.Quit()
}
