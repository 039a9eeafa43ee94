package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// newTestWindow builds the real main window on Fyne's test driver (no GL)
// with a fake engine, sized like a laptop screen so tables render cells.
func newTestWindow(tb testing.TB, snap engine.Snapshot) (*mainWindow, *fakeEngine) {
	tb.Helper()
	a := test.NewTempApp(tb)
	eng := newFakeEngine(snap)
	m := newMainWindow(a, eng)
	m.validate = fakeValidate
	m.settings = eng.Settings()
	m.win.Resize(fyne.NewSize(1400, 900))
	m.win.Show()
	tb.Cleanup(m.stop)
	return m, eng
}

// selectTorrent selects a torrent the way a click does.
func selectTorrent(tb testing.TB, m *mainWindow, infoHash string) {
	tb.Helper()
	row := m.list.indexOf(infoHash)
	if row < 0 {
		tb.Fatalf("torrent %s not in the list", infoHash)
	}
	m.list.table.Select(widget.TableCellID{Row: row, Col: 0})
}

// walk visits o and everything rendered inside it.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, visit)
		}
	}
}

// visibleTexts lists the text of every visible label, button and column
// header in o.
func visibleTexts(o fyne.CanvasObject) map[string]bool {
	texts := map[string]bool{}
	walk(o, func(c fyne.CanvasObject) {
		if !c.Visible() {
			return
		}
		switch x := c.(type) {
		case *widget.Label:
			texts[x.Text] = true
		case *widget.Button:
			texts[x.Text] = true
		case *sortHeader:
			texts[x.text] = true
		}
	})
	return texts
}

// findButton finds a button by its text in the window's top dialog.
func findButton(tb testing.TB, w fyne.Window, text string) *widget.Button {
	tb.Helper()
	var found *widget.Button
	top := w.Canvas().Overlays().Top()
	if top == nil {
		tb.Fatal("no dialog is open")
	}
	walk(top, func(c fyne.CanvasObject) {
		if b, ok := c.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		tb.Fatalf("no %q button in the dialog", text)
	}
	return found
}

// receive waits for a value the GUI sends from a background goroutine.
func receive[V any](tb testing.TB, ch <-chan V, what string) V {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(3 * time.Second):
		tb.Fatalf("timed out waiting for %s", what)
	}
	var zero V
	return zero
}

func tableCell(row int) widget.TableCellID { return widget.TableCellID{Row: row, Col: 0} }

// header finds a rendered column header by its title.
func header(tb testing.TB, table fyne.CanvasObject, title string) *sortHeader {
	tb.Helper()
	var found *sortHeader
	walk(table, func(c fyne.CanvasObject) {
		if h, ok := c.(*sortHeader); ok && h.text == title {
			found = h
		}
	})
	if found == nil {
		tb.Fatalf("no %q header", title)
	}
	return found
}
