package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"math/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/anacrolix/torrent/metainfo"

	"fairshare/engine/publisher"
)

// testSession opens a session on loopback with fast sampling.
func testSession(t *testing.T, home string, publisherNode bool) *Session {
	t.Helper()
	s, err := Open(Config{
		Home:           home,
		Version:        "test",
		ListenAddr:     "127.0.0.1:0",
		Publisher:      publisherNode,
		SampleInterval: 100 * time.Millisecond,
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("opening session in %s: %v", home, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// writeRandom writes size pseudo-random bytes (seeded, so failures
// reproduce) to path.
func writeRandom(t testing.TB, path string, size int, seed int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, size)
	rand.New(rand.NewSource(seed)).Read(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// sameTree fails unless every regular file under a exists under b with
// the same bytes.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	n := 0
	filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs from the original (err %v)", filepath.Join(b, rel), err)
		}
		n++
		return nil
	})
	if n == 0 {
		t.Fatalf("no files under %s", a)
	}
}

// seed publishes path from a publisher session and waits until it seeds.
func seed(t *testing.T, s *Session, path string, pieceLength int64, webSeeds ...string) *metainfo.MetaInfo {
	t.Helper()
	mi, err := publisher.Build(path, publisher.BuildOptions{PieceLength: pieceLength, WebSeeds: webSeeds})
	if err != nil {
		t.Fatal(err)
	}
	ih, err := s.AddPublished(mi, filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, ih, 20*time.Second, "seeding", func(ts TorrentSnapshot) bool { return ts.State == StateSeeding })
	return mi
}

// magnetTo is a magnet link for mi that names a peer directly (BEP 9
// x.pe), so tests need no tracker.
func magnetTo(t testing.TB, mi *metainfo.MetaInfo, peer string) string {
	t.Helper()
	m, err := publisher.Magnet(mi, publisher.MagnetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m + "&x.pe=" + peer
}

// waitFor polls the snapshot until cond holds for the torrent.
func waitFor(t testing.TB, s *Session, ih string, timeout time.Duration, what string, cond func(TorrentSnapshot) bool) TorrentSnapshot {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last TorrentSnapshot
	for time.Now().Before(deadline) {
		if ts, ok := find(s.Snapshot(), ih); ok {
			last = ts
			if cond(ts) {
				return ts
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("torrent %s not %s after %s; last state %q error %q done %d/%d peers %d",
		ih, what, timeout, last.State, last.Error, last.Done, last.Size, last.PeersConnected)
	return last
}

func find(snap Snapshot, ih string) (TorrentSnapshot, bool) {
	for _, ts := range snap.Torrents {
		if ts.InfoHash == ih {
			return ts, true
		}
	}
	return TorrentSnapshot{}, false
}

func complete(ts TorrentSnapshot) bool { return ts.State == StateSeeding }

// webSeedServer serves mi's content from root over HTTP on loopback.
func webSeedServer(t *testing.T, mi *metainfo.MetaInfo, root string) (*publisher.ContentServer, string) {
	t.Helper()
	cs, err := publisher.NewContentServer(mi, root, nil, publisher.ContentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(cs)
	t.Cleanup(srv.Close)
	return cs, srv.URL
}

func addOK(t testing.TB, s *Session, source, dir string) string {
	t.Helper()
	ih, err := s.Add(context.Background(), source, AddOptions{SaveDir: dir})
	if err != nil {
		t.Fatalf("Add(%.60q): %v", source, err)
	}
	return ih
}
