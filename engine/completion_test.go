package engine

import (
	"path/filepath"
	"testing"
	"time"
)

// TestCompletionActionAppliesLive: a complete torrent whose completion
// action is "stop" uploads nothing and says why (anacrolix then refuses
// its connections outright: a torrent that neither needs nor shares data
// wants no peers); switching the setting to "seed" while it runs lets a
// peer that retries finish.
func TestCompletionActionAppliesLive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "c.bin")
	writeRandom(t, content, 1<<20, 31)
	pub := testSession(t, filepath.Join(dir, "pub-home"), true)
	mi := seed(t, pub, content, 32<<10)

	s := testSession(t, filepath.Join(dir, "s"), false)
	// Slow enough to watch the download: the source, which wants nothing
	// from us, shows as not interested meanwhile.
	setSettings(t, s, func(st *Settings) { st.OnComplete, st.DownLimitKiB = OnCompleteStop, 256 })
	ih := addOK(t, s, magnetTo(t, mi, pub.ListenAddr()), filepath.Join(dir, "s-dl"))
	waitFor(t, s, ih, 20*time.Second, "showing the source not interested", func(ts TorrentSnapshot) bool {
		return !complete(ts) && len(ts.Peers) == 1 && ts.Peers[0].Source && ts.Peers[0].Choked == "not interested"
	})
	ts := waitFor(t, s, ih, 30*time.Second, "complete and done", func(ts TorrentSnapshot) bool {
		return complete(ts) && ts.Fairness.Mode == "done"
	})
	if ts.Fairness.Reason != "done: stop on completion" {
		t.Errorf("reason %q", ts.Fairness.Reason)
	}
	pub.Close()

	g := testSession(t, filepath.Join(dir, "g"), false)
	addOK(t, g, magnetTo(t, mi, s.ListenAddr()), filepath.Join(dir, "g-dl"))
	time.Sleep(3 * time.Second)
	if got, _ := find(g.Snapshot(), ih); got.Done != 0 || got.Downloaded != 0 {
		t.Fatalf("a stopped torrent uploaded: the peer has %d verified, %d downloaded", got.Done, got.Downloaded)
	}

	setSettings(t, s, func(st *Settings) { st.OnComplete = OnCompleteSeed })
	waitFor(t, s, ih, 5*time.Second, "seeding again", func(ts TorrentSnapshot) bool { return ts.Fairness.Mode == "active" })
	if err := g.Pause(ih); err != nil { // the user retries
		t.Fatal(err)
	}
	if err := g.Resume(ih); err != nil {
		t.Fatal(err)
	}
	waitFor(t, g, ih, 20*time.Second, "complete once seeding is on", complete)
}
