package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"fairshare/app/defaulthandler"
)

// The OS calls behind the row, and how they leave the UI thread (asking
// the OS runs a program on Linux: xdg-mime). Tests swap all three, so the
// rest of the app's tests never touch the developer's desktop settings.
var (
	osIsDefault   = defaulthandler.IsDefault
	osMakeDefault = defaulthandler.MakeDefault
	offUIThread   = func(f func()) { go f() }
)

// magnetDefault is the Settings row that makes Fairshare the default for
// magnet links and says whether it currently is.
type magnetDefault struct {
	content fyne.CanvasObject
	status  *widget.Label
	button  *widget.Button
	parent  fyne.Window
}

func newMagnetDefault(parent fyne.Window) *magnetDefault {
	r := &magnetDefault{status: widget.NewLabel("Checking…"), parent: parent}
	r.status.Wrapping = fyne.TextWrapWord
	r.button = widget.NewButton("Make Fairshare the default for magnet links", r.claim)
	r.content = container.NewVBox(r.button, r.status)
	r.refresh()
	return r
}

// refresh asks the OS and shows its answer.
func (r *magnetDefault) refresh() {
	offUIThread(func() {
		is, err := osIsDefault()
		fyne.Do(func() { r.show(is, err) })
	})
}

func (r *magnetDefault) show(is bool, err error) {
	switch {
	case err != nil:
		r.status.SetText("Cannot tell which app opens magnet links: " + err.Error())
	case is:
		r.status.SetText("Fairshare opens magnet links and .torrent files.")
	default:
		r.status.SetText("Another app (or none) opens magnet links.")
	}
}

// claim registers Fairshare, then shows the state the OS ends up in.
func (r *magnetDefault) claim() {
	r.button.Disable()
	offUIThread(func() {
		err := osMakeDefault()
		is, qerr := osIsDefault()
		fyne.Do(func() {
			r.button.Enable()
			r.show(is, qerr)
			if err != nil {
				dialog.ShowError(err, r.parent)
			}
		})
	})
}
