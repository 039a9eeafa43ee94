package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// generalView is the General tab: the facts about one torrent a user may
// want to read or copy.
type generalView struct {
	content fyne.CanvasObject
	values  map[string]*widget.Label
	magnet  string
	copy    *widget.Button
}

// generalFields are the rows of the General tab, in display order.
var generalFields = []string{
	"Name", "Info hash", "Magnet", "Save path", "Added", "Size",
	"Downloaded", "Uploaded", "Ratio", "Fairness", "Problem", "Trackers", "Web seeds",
}

func newGeneralView(clip func() fyne.Clipboard) *generalView {
	v := &generalView{values: map[string]*widget.Label{}}
	v.copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		clip().SetContent(v.magnet)
	})
	form := widget.NewForm()
	for _, name := range generalFields {
		l := widget.NewLabel(dash)
		l.Selectable = true // so a user can copy any value
		v.values[name] = l
		var field fyne.CanvasObject = l
		if name == "Magnet" {
			l.Truncation = fyne.TextTruncateEllipsis
			field = container.NewBorder(nil, nil, nil, v.copy, l)
		} else {
			l.Wrapping = fyne.TextWrapBreak
		}
		form.Append(name, field)
	}
	v.content = container.NewVScroll(form)
	return v
}

func (v *generalView) set(t engine.TorrentSnapshot) {
	v.magnet = t.Magnet
	enable(v.copy, t.Magnet != "")
	added := dash
	if !t.Added.IsZero() {
		added = t.Added.Format("2006-01-02 15:04")
	}
	for name, text := range map[string]string{
		"Name":       torrentName(t),
		"Info hash":  t.InfoHash,
		"Magnet":     orDash(t.Magnet),
		"Save path":  orDash(t.SaveDir),
		"Added":      added,
		"Size":       sizeText(t),
		"Downloaded": formatBytes(t.Downloaded),
		"Uploaded":   formatBytes(t.Uploaded),
		"Ratio":      formatRatio(t.Ratio, t.Downloaded, t.Uploaded),
		"Fairness":   fairnessText(t.Fairness),
		"Problem":    orDash(t.Error),
		"Trackers":   formatList(t.Trackers),
		"Web seeds":  formatList(t.WebSeeds),
	} {
		if l := v.values[name]; l.Text != text {
			l.SetText(text)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return dash
	}
	return s
}
