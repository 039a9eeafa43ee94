package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"fairshare/engine"
)

// The peers tab shows every column of the selected torrent's peers with the
// snapshot's values, formatted, and the publisher's source node by name.
func TestPeersTableShowsSnapshot(t *testing.T) {
	snap := demoSnapshot(time.Now())
	m, _ := newTestWindow(t, snap)
	m.apply(update{snap: snap})
	selectTorrent(t, m, snap.Torrents[0].InfoHash)

	peers := m.details.peers
	if rows, cols := peers.size(); rows != 6 || cols != 11 {
		t.Fatalf("peers table is %dx%d, want 6x11", rows, cols)
	}
	want := [][]string{
		{"Address", "Client", "Type", "RTT", "Down", "Up", "Got from", "Sent to", "Ratio", "Has", "Choked"},
		{"203.0.113.10:6881", "Fairshare/0.1.0", "publisher", "18 ms ±2 (ping)", "1.37 MiB/s", "0 B/s", "1.27 GiB", "0 B", "0.00", "100%", ""},
		{"198.51.100.23:51413", "Transmission 4.0.6", "uTP", "46 ms ±7 (ping)", "820 KiB/s", "240 KiB/s", "640 MiB", "410 MiB", "0.64", "81.0%", ""},
		{"192.0.2.77:6881", "qBittorrent 4.6.4", "TCP", "92 ms ±31 (request)", "510 KiB/s", "310 KiB/s", "420 MiB", "390 MiB", "0.93", "47.0%", ""},
		{"[2001:db8::5]:40000", "WebTorrent 2.1.4", "WebRTC", "8.4 ms ±0.6 (ice)", "130 KiB/s", "60.0 KiB/s", "150 MiB", "210 MiB", "1.40", "22.0%", ""},
		{"cdn.openearth.example", "—", "web seed", "—", "620 KiB/s", "0 B/s", "280 MiB", "0 B", "0.00", "100%", ""},
		{"100.64.7.9:6881", "libtorrent 2.0.10", "TCP", "140 ms (tcp)", "0 B/s", "0 B/s", "0 B", "20.0 MiB", "∞", "5.0%", "fairness: ratio 1.02 ≥ 1.00"},
	}
	for c, title := range want[0] {
		if got := peers.cols[c].title; got != title {
			t.Errorf("column %d is %q, want %q", c, got, title)
		}
	}
	for r, row := range want[1:] {
		for c, cell := range row {
			if got := peers.cellText(r, c); got != cell {
				t.Errorf("peer %d %s = %q, want %q", r, want[0][c], got, cell)
			}
		}
	}

	// And the same text is what the rendered table actually draws.
	drawn := visibleTexts(peers.table)
	for _, s := range []string{"Address", "Choked", "publisher", "WebRTC", "web seed", "18 ms ±2 (ping)", "140 ms (tcp)", "—", "fairness: ratio 1.02 ≥ 1.00"} {
		if !drawn[s] {
			t.Errorf("rendered peers table does not show %q", s)
		}
	}
}

// Selection is keyed on the address: re-sorting on a refresh moves the
// row, not the selection.
func TestPeersSelectionFollowsAddress(t *testing.T) {
	snap := demoSnapshot(time.Now())
	m, _ := newTestWindow(t, snap)
	m.apply(update{snap: snap})
	selectTorrent(t, m, snap.Torrents[0].InfoHash)
	peers := m.details.peers
	peers.sortBy(4) // Down, ascending
	peers.table.Select(tableCell(peers.indexOf("192.0.2.77:6881")))
	before := peers.indexOf("192.0.2.77:6881")

	next := demoSnapshot(time.Now().Add(time.Second))
	next.Torrents[0].Peers[2].DownRate = 9 << 20 // now the fastest: sorts last
	m.apply(update{snap: next})

	if peers.selected != "192.0.2.77:6881" {
		t.Fatalf("selection moved to %q", peers.selected)
	}
	if after := peers.indexOf("192.0.2.77:6881"); after == before || after != 5 {
		t.Fatalf("peer row %d -> %d, want it re-sorted to the end", before, after)
	}
}

// Sorting the torrent list by a header keeps the selected torrent.
func TestTorrentListSortsAndKeepsSelection(t *testing.T) {
	snap := demoSnapshot(time.Now())
	m, _ := newTestWindow(t, snap)
	m.apply(update{snap: snap})
	selectTorrent(t, m, snap.Torrents[2].InfoHash)

	sizeHeader := header(t, m.list.table, "Size")
	test.Tap(sizeHeader) // ascending: podcast, movie, atlas
	test.Tap(sizeHeader) // descending
	if sizeHeader.order != -1 {
		t.Errorf("Size header shows order %d after two clicks", sizeHeader.order)
	}
	if got := m.list.cellText(0, 0); got != "Open Earth Atlas 2025 (4K maps)" {
		t.Fatalf("largest first is %q", got)
	}
	if m.selectedTorrent() == nil || m.selectedTorrent().InfoHash != snap.Torrents[2].InfoHash {
		t.Fatalf("selection lost after sorting")
	}
	if got := m.list.cellText(2, 1); got != "Publishing" {
		t.Errorf("our own seeding torrent's state is %q, want Publishing", got)
	}
	if got := m.list.cellText(0, 2); got != "62.5%" {
		t.Errorf("progress cell %q", got)
	}
}

// With no torrents the window tells a new user what to do; the toolbar's
// torrent actions wait for a selection.
func TestEmptyStateAndToolbar(t *testing.T) {
	m, _ := newTestWindow(t, engine.Snapshot{})
	m.apply(update{})
	if !m.empty.Visible() || m.split.Visible() {
		t.Fatal("empty state not shown for an empty session")
	}
	if !visibleTexts(m.empty)["Paste a magnet link from a publisher: click + or press Ctrl+V."] {
		t.Error("empty state does not explain how to start")
	}
	snap := demoSnapshot(time.Now())
	m.apply(update{snap: snap})
	if m.empty.Visible() || !m.split.Visible() {
		t.Fatal("torrent list not shown once there are torrents")
	}
	if !m.tools.pause.Disabled() || !m.tools.remove.Disabled() {
		t.Error("torrent actions enabled with nothing selected")
	}
	selectTorrent(t, m, snap.Torrents[2].InfoHash) // paused
	if m.tools.resume.Disabled() || !m.tools.pause.Disabled() {
		t.Error("a paused torrent should offer Resume, not Pause")
	}
	if !m.details.noPeers.Visible() || m.details.noPeers.Text != "Paused: resume it to connect to peers." {
		t.Errorf("a paused torrent's empty peers tab says %q", m.details.noPeers.Text)
	}
}

// The status bar shows totals against the caps, the global ratio, the
// fairness controller's state and how peers reach us.
func TestStatusBar(t *testing.T) {
	snap := demoSnapshot(time.Now())
	m, eng := newTestWindow(t, snap)
	st := eng.Settings()
	m.apply(update{snap: snap, settings: st})
	want := map[string]string{
		"down": "↓ 3.40 MiB/s of unlimited", "up": "↑ 1.70 MiB/s of 2.00 MiB/s",
		"ratio": "Ratio 2.18", "fairness": "Fairness: 1 choking, 1 active, 1 exempt",
		"listen": "Port 42069 · DHT off · UPnP off",
	}
	checkStatus(t, m, want)

	// One torrent with a decision: its reason verbatim.
	one := snap
	one.Torrents = snap.Torrents[2:]
	st.DHT = true
	want["fairness"] = "Fairness: choking: ratio 1.18 ≥ 1.00"
	want["listen"] = "Port 42069 · DHT on · UPnP off"
	want["ratio"] = "Ratio 1.18"
	want["up"] = "↑ 0 B/s of 2.00 MiB/s"
	one.UpRate = 0
	m.apply(update{snap: one, settings: st})
	checkStatus(t, m, want)

	// No decision yet, and fairness switched off.
	none := snap
	none.Torrents = nil
	m.apply(update{snap: none, settings: st})
	if got := m.status.fairness.Text; got != "Fairness: on, target 1.00" {
		t.Errorf("fairness before any decision = %q", got)
	}
	st.Fairness = false
	none.ListenAddr = ""
	m.apply(update{snap: none, settings: st})
	if got := m.status.fairness.Text; got != "Fairness: off" {
		t.Errorf("fairness switched off = %q", got)
	}
	if got := m.status.listen.Text; got != "Not listening for peers · DHT on · UPnP off" {
		t.Errorf("not listening = %q", got)
	}
	if !visibleTexts(m.status.content)["Fairness: off"] {
		t.Error("rendered status bar does not show the fairness state")
	}
}

func checkStatus(t *testing.T, m *mainWindow, want map[string]string) {
	t.Helper()
	got := map[string]string{
		"down": m.status.down.Text, "up": m.status.up.Text, "ratio": m.status.ratio.Text,
		"fairness": m.status.fairness.Text, "listen": m.status.listen.Text,
	}
	for label, w := range want {
		if got[label] != w {
			t.Errorf("status %s = %q, want %q", label, got[label], w)
		}
	}
}
