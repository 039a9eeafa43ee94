package app

import (
	"testing"
	"time"

	"fairshare/engine"
)

// The Pieces tab counts pieces by state and estimates availability from
// our progress and the connected peers'.
func TestPiecesSummary(t *testing.T) {
	snap := demoSnapshot(time.Now())
	m, _ := newTestWindow(t, snap)
	m.apply(update{snap: snap})
	selectTorrent(t, m, snap.Torrents[0].InfoHash)

	// demoPieces(1100, 0.625): the first 687 less every 97th, plus every
	// 41st after 887 (685); every 3rd of the next 12 in flight (6). We
	// have 0.625 of it; peers hold 1+0.81+0.47+0.22+1+0.05: 4.175 copies.
	want := "685 of 1100 pieces (4.00 MiB each) · 6 downloading · 409 missing · availability 4.2 copies"
	if got := m.details.pieces.summary.Text; got != want {
		t.Errorf("pieces summary\n got %q\nwant %q", got, want)
	}
	if got := piecesSummary(engine.TorrentSnapshot{State: engine.StateFetchingMetadata}); got != "Pieces are unknown until the torrent's metadata arrives." {
		t.Errorf("before metadata: %q", got)
	}
}
