package publisher

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/anacrolix/torrent"
)

// TestAnacrolixSwarmViaTracker runs two real anacrolix clients against the
// tracker: a seeder announces, a leecher learns its address from the
// tracker alone and downloads the content from it.
func TestAnacrolixSwarmViaTracker(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.bin")
	writeRandom(t, path, 2<<20+999)
	tr := NewTracker(TrackerOptions{})
	mux := http.NewServeMux()
	mux.Handle("/announce", tr.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mi, err := Build(path, BuildOptions{Trackers: []string{srv.URL + "/announce"}})
	if err != nil {
		t.Fatal(err)
	}
	ih := mi.HashInfoBytes()

	seeder := newTrackerClient(t, filepath.Dir(path))
	if _, err := seeder.AddTorrent(mi); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the seeder's announce", func() bool { return len(tr.Stats(ih).Peers) == 1 })
	if got := tr.Stats(ih).Peers[0].Addr.Port(); got != uint16(seeder.LocalPort()) {
		t.Fatalf("tracker stored port %d, seeder listens on %d", got, seeder.LocalPort())
	}

	leecher := newTrackerClient(t, t.TempDir())
	tor, err := leecher.AddTorrent(mi)
	if err != nil {
		t.Fatal(err)
	}
	tor.DownloadAll()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case <-tor.Complete().On():
	case <-ctx.Done():
		t.Fatalf("leecher stalled with %d bytes missing; tracker has %+v", tor.BytesMissing(), tr.Stats(ih))
	}
	waitFor(t, "both clients in the swarm", func() bool { return len(tr.Stats(ih).Peers) == 2 })
}

func newTrackerClient(t *testing.T, dataDir string) *torrent.Client {
	cfg := torrent.TestingConfig(t)
	cfg.DisableUTP = true
	cfg.NoDHT = true
	cfg.DisableTrackers = false
	cfg.Seed = true
	cfg.DataDir = dataDir
	// TestingConfig shrinks this to 5 bytes for anacrolix's own tests, which
	// makes a seeder refuse every 16 KiB request.
	cfg.MaxAllocPeerRequestDataPerConn = torrent.NewDefaultClientConfig().MaxAllocPeerRequestDataPerConn
	cl, err := torrent.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
