package engine

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestGuardDropsAndBansARedownloadingPeer: a seeder that is not a
// publisher serves a greedy peer one copy; the peer loses its data and
// comes back for a second copy. Past 1.1 copies the seeder drops it and
// refuses it from then on, while another peer on the same IP (loopback)
// still downloads: the ban is per peer, not per address.
func TestGuardDropsAndBansARedownloadingPeer(t *testing.T) {
	t.Parallel()
	const size = 2 << 20
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "g.bin")
	writeRandom(t, content, size, 21)
	pub := testSession(t, filepath.Join(dir, "pub-home"), true)
	mi := seed(t, pub, content, 64<<10)

	// The seeder keeps seeding past any ratio, so only the guard stops it;
	// its cap makes the moment the guard trips predictable.
	seeder := testSession(t, filepath.Join(dir, "seeder"), false)
	setSettings(t, seeder, func(st *Settings) { st.OnComplete, st.UpLimitKiB = OnCompleteSeed, 512 })
	ih := addOK(t, seeder, magnetTo(t, mi, pub.ListenAddr()), filepath.Join(dir, "seeder-dl"))
	waitFor(t, seeder, ih, 30*time.Second, "complete", complete)
	pub.Close()

	greedy := testSession(t, filepath.Join(dir, "greedy"), false)
	greedyDL := filepath.Join(dir, "greedy-dl")
	addOK(t, greedy, magnetTo(t, mi, seeder.ListenAddr()), greedyDL)
	waitFor(t, greedy, ih, 30*time.Second, "complete", complete)

	// It loses the file and asks again.
	if err := greedy.Pause(ih); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(greedyDL, "g.bin")); err != nil {
		t.Fatal(err)
	}
	if err := greedy.Resume(ih); err != nil {
		t.Fatal(err)
	}
	id := greedy.client.PeerID()
	key := string(id[:])
	deadline := time.Now().Add(20 * time.Second)
	for !seeder.fair.guard.Banned(time.Now(), key) {
		if time.Now().After(deadline) {
			ts, _ := find(greedy.Snapshot(), ih)
			t.Fatalf("greedy peer not banned; it has %d of %d again", ts.Done, ts.Size)
		}
		time.Sleep(20 * time.Millisecond)
	}
	banned := time.Now()
	seeder.refresh()
	ts, _ := find(seeder.Snapshot(), ih)
	// What it took: 1.1 copies, plus up to one sample interval at the cap
	// and the limiter's burst (256 KiB at least) before the drop landed.
	over := int64(size * 11 / 10)
	limit := over + 512<<10/10 + 512<<10
	t.Logf("seeder uploaded %d bytes (%.2f copies) when the guard tripped", ts.Uploaded, float64(ts.Uploaded)/size)
	if ts.Uploaded <= over || ts.Uploaded > limit {
		t.Errorf("seeder uploaded %d bytes; want just over 1.1 copies (%d), at most %d", ts.Uploaded, over, limit)
	}

	// It stays out: it keeps redialling (the magnet names the seeder) and
	// is dropped each time, so nothing more reaches it.
	time.Sleep(3 * time.Second)
	seeder.refresh()
	after, _ := find(seeder.Snapshot(), ih)
	if after.Uploaded > ts.Uploaded+64<<10 {
		t.Errorf("seeder sent %d more bytes to a banned peer", after.Uploaded-ts.Uploaded)
	}
	if g, _ := find(greedy.Snapshot(), ih); complete(g) {
		t.Error("banned peer completed its second copy")
	}
	if time.Since(banned) > banFor {
		t.Fatal("test too slow to observe the ban")
	}

	// Another peer on the same address is served.
	other := testSession(t, filepath.Join(dir, "other"), false)
	addOK(t, other, magnetTo(t, mi, seeder.ListenAddr()), filepath.Join(dir, "other-dl"))
	waitFor(t, other, ih, 30*time.Second, "complete from the same seeder", complete)
}
