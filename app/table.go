package app

import (
	"cmp"
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// column describes one column of a sortedTable over rows of type T.
type column[T any] struct {
	title string
	width float32
	// text renders the cell; bar, when set, draws a progress bar (0..1)
	// instead.
	text func(T) string
	bar  func(T) float64
	// order sorts the column; nil sorts by the rendered text.
	order func(a, b T) int
	// right aligns numbers so their magnitudes line up.
	right bool
	// stretch gives the column the width the others leave (the first
	// column when none is marked).
	stretch bool
}

// sortedTable is a widget.Table whose rows can be sorted by clicking a
// header and whose selection follows a row's key rather than its index, so
// a refresh that reorders rows does not move the selection to another
// torrent or peer.
type sortedTable[T any] struct {
	// content is what to put in a window: the table, with one column
	// stretched to the available width.
	content  fyne.CanvasObject
	table    *widget.Table
	cols     []column[T]
	key      func(T) string
	rows     []T
	sortCol  int // -1 keeps the engine's order
	desc     bool
	selected string
	// onSelect runs when the user picks a row.
	onSelect func(key string)
}

func newSortedTable[T any](cols []column[T], key func(T) string) *sortedTable[T] {
	s := &sortedTable[T]{cols: cols, key: key, sortCol: -1}
	t := widget.NewTableWithHeaders(s.size, s.createCell, s.updateCell)
	t.ShowHeaderColumn = false
	t.CreateHeader = s.createHeader
	t.UpdateHeader = s.updateHeader
	t.OnSelected = s.tapped
	widths := make([]float32, len(cols))
	stretch := 0
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
		widths[i] = c.width
		if c.stretch {
			stretch = i
		}
	}
	s.table = t
	s.content = container.New(newStretchColumn(t, stretch, widths), t)
	return s
}

func (s *sortedTable[T]) size() (int, int) { return len(s.rows), len(s.cols) }

// The cell template stacks a selection background, a label and a progress
// bar; updateCell shows whichever the column needs.
func (s *sortedTable[T]) createCell() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	return container.NewStack(bg, widget.NewLabel(""), newProgressCell())
}

func (s *sortedTable[T]) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(s.rows) || id.Col >= len(s.cols) {
		return
	}
	parts := o.(*fyne.Container).Objects
	bg, label, bar := parts[0].(*canvas.Rectangle), parts[1].(*widget.Label), parts[2].(*progressCell)
	row, col := s.rows[id.Row], s.cols[id.Col]
	s.paintSelection(bg, s.key(row) == s.selected)
	if col.bar != nil {
		label.Hide()
		bar.Show()
		bar.setValue(col.bar(row))
		return
	}
	bar.Hide()
	label.Show()
	setCellLabel(label, col.text(row), col.right)
}

// setCellLabel touches the label only when something changed: a refresh
// re-renders every visible cell, and shaping text is the costly part.
// Only left-aligned text can outgrow its column, so only it is truncated
// (truncation reshapes the text on every change).
func setCellLabel(l *widget.Label, text string, right bool) {
	align, trunc := fyne.TextAlignLeading, fyne.TextTruncateEllipsis
	if right {
		align, trunc = fyne.TextAlignTrailing, fyne.TextTruncateOff
	}
	if l.Text == text && l.Alignment == align && l.Truncation == trunc {
		return
	}
	l.Alignment, l.Truncation = align, trunc
	l.SetText(text)
}

func (s *sortedTable[T]) paintSelection(bg *canvas.Rectangle, selected bool) {
	c := color.Color(color.Transparent)
	if selected {
		c = theme.Color(theme.ColorNameSelection)
	}
	if bg.FillColor != c {
		bg.FillColor = c
		bg.Refresh()
	}
}

func (s *sortedTable[T]) createHeader() fyne.CanvasObject { return newSortHeader() }

func (s *sortedTable[T]) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Col < 0 || id.Col >= len(s.cols) {
		return
	}
	col, order := id.Col, 0
	if col == s.sortCol {
		order = 1
		if s.desc {
			order = -1
		}
	}
	o.(*sortHeader).set(s.cols[col].title, order, func() { s.sortBy(col) })
}

// sortBy sorts by col, flipping the direction when it already is the sort
// column.
func (s *sortedTable[T]) sortBy(col int) {
	if s.sortCol == col {
		s.desc = !s.desc
	} else {
		s.sortCol, s.desc = col, false
	}
	s.sortRows()
	s.table.Refresh()
}

// tapped turns the table's cell selection into a row selection keyed on the
// row, drawn by updateCell across the whole row.
func (s *sortedTable[T]) tapped(id widget.TableCellID) {
	s.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.rows) {
		return
	}
	s.selected = s.key(s.rows[id.Row])
	s.table.Refresh()
	if s.onSelect != nil {
		s.onSelect(s.selected)
	}
}

// selectKey selects the row with key programmatically, without calling
// onSelect.
func (s *sortedTable[T]) selectKey(key string) {
	s.selected = key
	s.table.Refresh()
}

// setRows replaces the rows, keeping the sort and, while its row is still
// there, the selection.
func (s *sortedTable[T]) setRows(rows []T) {
	s.rows = append(s.rows[:0], rows...)
	s.sortRows()
	if s.indexOf(s.selected) < 0 {
		s.selected = ""
	}
	s.table.Refresh()
}

func (s *sortedTable[T]) sortRows() {
	if s.sortCol < 0 || s.sortCol >= len(s.cols) {
		return
	}
	col := s.cols[s.sortCol]
	order := col.order
	if order == nil {
		order = func(a, b T) int { return cmp.Compare(col.text(a), col.text(b)) }
	}
	slices.SortFunc(s.rows, func(a, b T) int {
		c := order(a, b)
		if c == 0 {
			// Keys are unique, so equal values keep one order across
			// refreshes instead of flickering.
			c = cmp.Compare(s.key(a), s.key(b))
		}
		if s.desc {
			return -c
		}
		return c
	})
}

func (s *sortedTable[T]) indexOf(key string) int {
	if key == "" {
		return -1
	}
	return slices.IndexFunc(s.rows, func(r T) bool { return s.key(r) == key })
}

// cellText renders cell (row, col) through the real cell code and returns
// what a user would read there: the label text or the bar's percentage.
func (s *sortedTable[T]) cellText(row, col int) string {
	o := s.createCell()
	s.updateCell(widget.TableCellID{Row: row, Col: col}, o)
	parts := o.(*fyne.Container).Objects
	if bar := parts[2].(*progressCell); bar.Visible() {
		return formatPercent(bar.value)
	}
	return parts[1].(*widget.Label).Text
}
