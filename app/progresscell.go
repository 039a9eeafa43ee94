package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// progressCell is a slim progress bar for table cells. widget.ProgressBar
// fills the whole row in a solid block, which made a list of finished
// torrents a wall of colour; this one is a thin rounded track with the
// percentage beside it, and turns teal when complete.
type progressCell struct {
	widget.BaseWidget
	value float64
}

func newProgressCell() *progressCell {
	p := &progressCell{}
	p.ExtendBaseWidget(p)
	return p
}

// setValue refreshes only on a visible change (a tenth of a percent).
func (p *progressCell) setValue(v float64) {
	if v < 0 {
		v = 0
	} else if v > 1 {
		v = 1
	}
	if formatPercent(v) != formatPercent(p.value) || (v >= 1) != (p.value >= 1) {
		p.value = v
		p.Refresh()
	}
}

func (p *progressCell) CreateRenderer() fyne.WidgetRenderer {
	r := &progressCellRenderer{
		p:     p,
		track: canvas.NewRectangle(colorMissing),
		fill:  canvas.NewRectangle(colorDownloading),
		text:  canvas.NewText("", theme.Color(theme.ColorNameForeground)),
	}
	r.track.CornerRadius, r.fill.CornerRadius = 3, 3
	r.text.Alignment = fyne.TextAlignTrailing
	r.Refresh()
	return r
}

type progressCellRenderer struct {
	p           *progressCell
	track, fill *canvas.Rectangle
	text        *canvas.Text
}

// percentWidth fits "99.9%" so tracks line up across rows.
const percentWidth = 48

func (r *progressCellRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.fill, r.text}
}

func (r *progressCellRenderer) Destroy() {}

func (r *progressCellRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	return fyne.NewSize(percentWidth+40+pad*3, r.text.MinSize().Height+pad*2)
}

func (r *progressCellRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	const h = 6
	trackW := size.Width - percentWidth - pad*3
	r.track.Move(fyne.NewPos(pad, (size.Height-h)/2))
	r.track.Resize(fyne.NewSize(trackW, h))
	r.fill.Move(r.track.Position())
	r.fill.Resize(fyne.NewSize(trackW*float32(r.p.value), h))
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos(size.Width-pad-percentWidth, (size.Height-ts.Height)/2))
	r.text.Resize(fyne.NewSize(percentWidth, ts.Height))
}

func (r *progressCellRenderer) Refresh() {
	r.text.Text = formatPercent(r.p.value)
	r.text.Color = theme.Color(theme.ColorNameForeground)
	r.fill.FillColor = color.Color(colorDownloading)
	if r.p.value >= 1 {
		r.fill.FillColor = colorHave
	}
	r.Layout(r.p.Size())
	r.track.Refresh()
	r.fill.Refresh()
	r.text.Refresh()
}
