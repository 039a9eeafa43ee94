package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// addDialog asks for magnet links or .torrent paths/URLs, validating as the
// user types so a mistake is explained before they press Add.
type addDialog struct {
	dlg      *dialog.CustomDialog
	entry    *widget.Entry
	reason   *widget.Label
	ok       *widget.Button
	validate func(string) error
	submit   func([]string)
	sources  []string // valid sources in the entry, nil while invalid
}

func newAddDialog(parent fyne.Window, validate func(string) error, submit func([]string)) *addDialog {
	d := &addDialog{validate: validate, submit: submit}
	d.entry = widget.NewMultiLineEntry()
	d.entry.Wrapping = fyne.TextWrapBreak // magnets have no spaces to wrap at
	d.entry.SetMinRowsVisible(4)
	d.entry.SetPlaceHolder("magnet:?xt=urn:btih:…\nor the path or URL of a .torrent file, one per line")
	d.entry.OnChanged = d.check
	d.reason = widget.NewLabel("")
	d.reason.Wrapping = fyne.TextWrapWord
	d.ok = widget.NewButtonWithIcon("Add", theme.ConfirmIcon(), d.accept)
	d.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	intro := widget.NewLabel("Paste the magnet link a publisher gave you.")
	d.dlg = dialog.NewCustomWithoutButtons("Add torrent",
		container.NewBorder(intro, d.reason, nil, nil, d.entry), parent)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.ok})
	d.dlg.Resize(fyne.NewSize(640, 340))
	d.check("")
	return d
}

// check validates text and shows the one-sentence reason; Add stays
// disabled until every line is acceptable.
func (d *addDialog) check(text string) {
	sources, err := checkSources(text, d.validate)
	d.sources = sources
	switch {
	case sourcesIn(text) == nil:
		d.say("", widget.MediumImportance) // nothing typed yet: no nagging
	case err != nil:
		d.say(sentence(err.Error()), widget.DangerImportance)
	case len(sources) == 1:
		d.say("Ready to add.", widget.SuccessImportance)
	default:
		d.say(fmt.Sprintf("Ready to add %d torrents.", len(sources)), widget.SuccessImportance)
	}
	if err != nil {
		d.ok.Disable()
	} else {
		d.ok.Enable()
	}
}

func (d *addDialog) say(text string, imp widget.Importance) {
	d.reason.Importance = imp
	d.reason.SetText(text)
}

// sentence capitalises an error message and ends it with a full stop, as
// Go errors are written lower-case and unpunctuated.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	if last := r[len(r)-1]; last != '.' && last != '!' && last != '?' {
		r = append(r, '.')
	}
	return string(r)
}

func (d *addDialog) accept() {
	if d.sources == nil {
		return
	}
	sources := d.sources
	d.dlg.Hide()
	d.submit(sources)
}

// setText replaces the entry's text and validates it.
func (d *addDialog) setText(text string) {
	d.entry.SetText(text)
	d.check(text)
}

// showAddDialog opens the add dialog prefilled with text, or fills the one
// already open so a second Ctrl+V does not stack dialogs.
func (m *mainWindow) showAddDialog(text string) *addDialog {
	if m.adding != nil {
		if text != "" {
			m.adding.setText(text)
		}
		return m.adding
	}
	d := newAddDialog(m.win, m.validate, m.addSources)
	d.dlg.SetOnClosed(func() { m.adding = nil })
	m.adding = d
	d.setText(text)
	d.dlg.Show()
	m.win.Canvas().Focus(d.entry)
	return d
}
