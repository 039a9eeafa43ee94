package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// stretchColumn lays out a table so that one column (the name or address)
// takes whatever width the others leave: a window wider than the columns
// then shows longer names instead of an empty strip, and row selection
// reaches the right edge.
type stretchColumn struct {
	table *widget.Table
	col   int
	base  float32   // the column's width when the window is narrow
	other []float32 // the other columns' widths
	last  float32   // the width last set, to skip needless refreshes
}

func newStretchColumn(t *widget.Table, col int, widths []float32) *stretchColumn {
	l := &stretchColumn{table: t, col: col, base: widths[col], last: widths[col]}
	for i, w := range widths {
		if i != col {
			l.other = append(l.other, w)
		}
	}
	return l
}

func (l *stretchColumn) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	// widget.Table puts a padding between columns and before the first;
	// leave room for those and for the vertical scroll bar.
	used := float32(len(l.other)+1)*theme.Padding() + theme.ScrollBarSize()
	for _, w := range l.other {
		used += w
	}
	w := max(l.base, size.Width-used)
	if w != l.last {
		l.last = w
		l.table.SetColumnWidth(l.col, w)
	}
}

func (l *stretchColumn) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}
