package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"fairshare/engine"
)

func TestDroppedSource(t *testing.T) {
	for _, c := range []struct {
		uri  fyne.URI
		want string
	}{
		{storage.NewFileURI("/home/ana/atlas.torrent"), "/home/ana/atlas.torrent"},
		{storage.NewFileURI(goodMagnet), goodMagnet}, // how GLFW hands over a dragged link
		{storage.NewFileURI("https://example.org/a.torrent"), "https://example.org/a.torrent"},
		{storage.NewFileURI(goodMagnet + "&tr=udp://tracker.example:1337"), goodMagnet + "&tr=udp://tracker.example:1337"},
	} {
		if got := droppedSource(c.uri); got != c.want {
			t.Errorf("droppedSource(%s) = %q, want %q", c.uri, got, c.want)
		}
	}
}

// Dropping a valid magnet adds it straight away; an invalid one opens the
// add dialog explaining why.
func TestDropAddsOrExplains(t *testing.T) {
	m, eng := newTestWindow(t, engine.Snapshot{})
	m.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(goodMagnet)})
	if got := receive(t, eng.added, "Add"); got != goodMagnet {
		t.Fatalf("added %q", got)
	}
	m.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI("/tmp/notes.txt")})
	if m.adding == nil || !m.adding.ok.Disabled() || m.adding.reason.Text == "" {
		t.Fatal("an unusable drop did not open the dialog with a reason")
	}
}
