package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sortHeader is a clickable column title with a chevron showing the sort
// direction. It replaces a widget.Button because the table refreshes its
// headers on every data refresh, and a button re-rendering its SVG icon
// each second was a third of the cost of a refresh.
type sortHeader struct {
	widget.BaseWidget
	text  string
	order int // 0 unsorted, 1 ascending, -1 descending
	onTap func()
}

func newSortHeader() *sortHeader {
	h := &sortHeader{}
	h.ExtendBaseWidget(h)
	return h
}

// set updates the header, refreshing only when it changed.
func (h *sortHeader) set(text string, order int, onTap func()) {
	h.onTap = onTap
	if h.text != text || h.order != order {
		h.text, h.order = text, order
		h.Refresh()
	}
}

func (h *sortHeader) Tapped(*fyne.PointEvent) {
	if h.onTap != nil {
		h.onTap()
	}
}

// Cursor tells the user the title is clickable.
func (h *sortHeader) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (h *sortHeader) CreateRenderer() fyne.WidgetRenderer {
	r := &sortHeaderRenderer{h: h, label: canvas.NewText("", theme.Color(theme.ColorNameForeground))}
	r.label.TextStyle.Bold = true
	r.left = canvas.NewLine(theme.Color(theme.ColorNameForeground))
	r.right = canvas.NewLine(theme.Color(theme.ColorNameForeground))
	r.left.StrokeWidth, r.right.StrokeWidth = 1.5, 1.5
	r.Refresh()
	return r
}

type sortHeaderRenderer struct {
	h           *sortHeader
	label       *canvas.Text
	left, right *canvas.Line
}

const chevronWidth = 8

func (r *sortHeaderRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.label, r.left, r.right}
}

func (r *sortHeaderRenderer) Destroy() {}

func (r *sortHeaderRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	s := r.label.MinSize()
	return fyne.NewSize(s.Width+chevronWidth+pad*3, s.Height+pad*2)
}

func (r *sortHeaderRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	s := r.label.MinSize()
	r.label.Move(fyne.NewPos(pad, (size.Height-s.Height)/2))
	r.label.Resize(s)
	// The chevron points up for ascending, down for descending.
	x, mid := pad*2+s.Width, size.Height/2
	dy := float32(r.h.order) * 2.5
	r.left.Position1, r.left.Position2 = fyne.NewPos(x, mid+dy), fyne.NewPos(x+chevronWidth/2, mid-dy)
	r.right.Position1, r.right.Position2 = fyne.NewPos(x+chevronWidth/2, mid-dy), fyne.NewPos(x+chevronWidth, mid+dy)
}

func (r *sortHeaderRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	r.label.Text, r.label.Color = r.h.text, fg
	r.left.StrokeColor, r.right.StrokeColor = fg, fg
	r.left.Hidden, r.right.Hidden = r.h.order == 0, r.h.order == 0
	r.label.TextSize = theme.TextSize()
	r.label.Refresh()
	r.Layout(r.h.Size())
	r.left.Refresh()
	r.right.Refresh()
}
