package app

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"

	"fairshare/engine"
)

// fakeOS stands in for the desktop's default-handler settings in every
// app test (app/defaulthandler tests the real ones with xdg-mime).
var fakeOS struct {
	registered bool
	refuse     error
	queryErr   error
}

func init() {
	offUIThread = func(f func()) { f() } // Fyne's test driver runs fyne.Do inline
	osIsDefault = func() (bool, error) { return fakeOS.registered, fakeOS.queryErr }
	osMakeDefault = func() error {
		if fakeOS.refuse != nil {
			return fakeOS.refuse
		}
		fakeOS.registered = true
		return nil
	}
}

// The button registers through the OS hook and the status line follows
// what the OS then answers; a refusal is shown and the status stays true
// to the OS.
func TestMagnetDefaultRow(t *testing.T) {
	t.Cleanup(func() { fakeOS.registered, fakeOS.refuse, fakeOS.queryErr = false, nil, nil })
	m, _ := newTestWindow(t, engine.Snapshot{})
	r := m.showSettings().magnet
	const notUs = "Another app (or none) opens magnet links."
	if r.status.Text != notUs {
		t.Fatalf("status = %q, want %q", r.status.Text, notUs)
	}

	fakeOS.refuse = errors.New("refused by the OS")
	test.Tap(r.button)
	texts := visibleTexts(m.win.Canvas().Overlays().Top())
	if !texts["refused by the OS"] && !texts["Refused by the OS"] {
		t.Errorf("the OS's refusal is not shown; top dialog shows %v", texts)
	}
	if r.status.Text != notUs || r.button.Disabled() {
		t.Errorf("after a refusal: status %q, button disabled %v", r.status.Text, r.button.Disabled())
	}

	fakeOS.refuse = nil
	test.Tap(r.button)
	if want := "Fairshare opens magnet links and .torrent files."; r.status.Text != want {
		t.Errorf("after registering: status %q, want %q", r.status.Text, want)
	}

	fakeOS.queryErr = errors.New("xdg-mime not found")
	r.refresh()
	if want := "Cannot tell which app opens magnet links: xdg-mime not found"; r.status.Text != want {
		t.Errorf("status %q, want %q", r.status.Text, want)
	}
}
