package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// Typing a malformed magnet shows the validator's sentence and keeps Add
// disabled; a good one enables Add, which hands it to the engine.
func TestAddDialogValidatesAsYouType(t *testing.T) {
	m, eng := newTestWindow(t, engine.Snapshot{})
	d := m.showAddDialog("")
	if !d.ok.Disabled() || d.reason.Text != "" {
		t.Fatalf("empty dialog: ok disabled=%v reason=%q", d.ok.Disabled(), d.reason.Text)
	}

	test.Type(d.entry, "magnet:?xt=urn:btih:not-a-hash")
	if !d.ok.Disabled() {
		t.Fatal("Add enabled for a malformed magnet")
	}
	if want := "The magnet link has no valid info hash (xt=urn:btih:…)."; d.reason.Text != want {
		t.Fatalf("reason %q, want %q", d.reason.Text, want)
	}
	if d.reason.Importance != widget.DangerImportance {
		t.Error("the reason is not shown as an error")
	}
	test.Tap(d.ok) // a disabled button must not add anything
	select {
	case s := <-eng.added:
		t.Fatalf("malformed magnet was added: %s", s)
	default:
	}

	d.entry.SetText(goodMagnet)
	if d.ok.Disabled() || d.reason.Text != "Ready to add." {
		t.Fatalf("good magnet: ok disabled=%v reason=%q", d.ok.Disabled(), d.reason.Text)
	}
	test.Tap(d.ok)
	if got := receive(t, eng.added, "Add"); got != goodMagnet {
		t.Fatalf("engine got %q", got)
	}
	if m.win.Canvas().Overlays().Top() != nil {
		t.Error("dialog still open after Add")
	}
}

// Several lines are several torrents; a bad line is named.
func TestAddDialogSeveralLines(t *testing.T) {
	m, _ := newTestWindow(t, engine.Snapshot{})
	d := m.showAddDialog(goodMagnet + "\n\nhttp://example.org/x.torrent")
	if !d.ok.Disabled() || d.reason.Text != `Line 2: this is not a magnet link; magnet links start with "magnet:?".` {
		t.Fatalf("reason %q", d.reason.Text)
	}
	d.setText(goodMagnet + "\n" + goodMagnet)
	if d.ok.Disabled() || d.reason.Text != "Ready to add 2 torrents." {
		t.Fatalf("reason %q", d.reason.Text)
	}
}

// Ctrl+V with a magnet in the clipboard opens the dialog prefilled; a
// second paste fills the open dialog instead of stacking another.
func TestPasteOpensPrefilledDialog(t *testing.T) {
	m, _ := newTestWindow(t, engine.Snapshot{})
	m.app.Clipboard().SetContent("  " + goodMagnet + "\n")
	// Press Ctrl+V on the window (nothing focused), as the driver would.
	m.win.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutPaste{Clipboard: m.app.Clipboard()})
	if m.adding == nil || m.adding.entry.Text != goodMagnet || m.adding.ok.Disabled() {
		t.Fatalf("dialog not prefilled with the clipboard magnet")
	}
	first := m.adding
	m.app.Clipboard().SetContent("just some words")
	m.pasted()
	if m.adding != first || first.entry.Text != goodMagnet {
		t.Fatal("second paste replaced a good magnet with unrelated text")
	}
}

// The dialog works with the engine's own validator once it exists.
func TestAddDialogWithEngineValidator(t *testing.T) {
	if err := engine.ValidateSource(goodMagnet); err != nil {
		t.Skipf("engine.ValidateSource not usable yet: %v", err)
	}
	m, _ := newTestWindow(t, engine.Snapshot{})
	m.validate = engine.ValidateSource
	d := m.showAddDialog("magnet:?xt=urn:btih:zz")
	if !d.ok.Disabled() || d.reason.Text == "" {
		t.Fatalf("malformed magnet accepted: reason %q", d.reason.Text)
	}
	d.setText(goodMagnet)
	if d.ok.Disabled() {
		t.Fatalf("good magnet refused: %q", d.reason.Text)
	}
}
