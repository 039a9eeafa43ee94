package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"fairshare/assets"
)

// aboutText names the build: the version comes from git describe through
// -ldflags -X main.version and app.SetMetadata (see Run).
func aboutText(version string) string {
	return "Fairshare " + version + "\nDownload and share publisher swarms over BitTorrent."
}

// showAbout opens the About box (from the tray menu).
func (m *mainWindow) showAbout() { showAbout(m.app, m.win) }

// aboutButton opens the About box from Settings, which every platform has.
func aboutButton(a fyne.App, parent fyne.Window) *widget.Button {
	return widget.NewButton("About Fairshare "+a.Metadata().Version, func() { showAbout(a, parent) })
}

func showAbout(a fyne.App, parent fyne.Window) {
	icon := canvas.NewImageFromResource(assets.Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(64, 64))
	text := widget.NewLabel(aboutText(a.Metadata().Version))
	dialog.ShowCustom("About Fairshare", "Close", container.NewHBox(icon, text), parent)
}
