package engine

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fairshare/engine/publisher"
	"fairshare/storage"
)

func TestMagnetDownloadsFromSourceAndRestartTrustsCompletion(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "movie.bin")
	writeRandom(t, content, 3<<20+12345, 1)
	src := testSession(t, filepath.Join(dir, "src"), true)
	mi := seed(t, src, content, 32<<10)

	leechHome, dl := filepath.Join(dir, "leech"), filepath.Join(dir, "dl")
	leech := testSession(t, leechHome, false)
	ih := addOK(t, leech, magnetTo(t, mi, src.ListenAddr()), dl)
	var sawSource bool
	ts := waitFor(t, leech, ih, 30*time.Second, "complete", func(ts TorrentSnapshot) bool {
		for _, p := range ts.Peers {
			sawSource = sawSource || (p.Source && p.Client == "Fairshare/test" && p.Network == NetworkTCP && p.Downloaded > 0)
		}
		return complete(ts)
	})
	if sha(t, content) != sha(t, filepath.Join(dl, "movie.bin")) {
		t.Fatal("downloaded file differs from the published one")
	}
	if ts.Downloaded < ts.Size {
		t.Errorf("lifetime downloaded %d < size %d", ts.Downloaded, ts.Size)
	}
	if !sawSource {
		t.Error("never saw the source node as a tcp peer named Fairshare/test that sent data")
	}

	// Restart with the source gone: metadata and completion come from the
	// state file, nothing is hashed or fetched again.
	src.Close()
	leech.Close()
	again := testSession(t, leechHome, false)
	ts = waitFor(t, again, ih, 5*time.Second, "seeding from stored state", complete)
	if ts.Hashed != 0 {
		t.Errorf("restart hashed %d bytes; stored completion should be trusted", ts.Hashed)
	}
	if ts.Downloaded < ts.Size {
		t.Errorf("lifetime downloaded %d not kept across restart (size %d)", ts.Downloaded, ts.Size)
	}
}

func TestMultiFileFolderDownloads(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "pub", "course")
	writeRandom(t, filepath.Join(folder, "intro.txt"), 1000, 2)
	writeRandom(t, filepath.Join(folder, "videos", "01.bin"), 1<<20+7, 3)
	writeRandom(t, filepath.Join(folder, "videos", "deep", "02.bin"), 700<<10, 4)
	writeRandom(t, filepath.Join(folder, "empty.txt"), 0, 5) // empty files broke mmap storage
	src := testSession(t, filepath.Join(dir, "src"), true)
	mi := seed(t, src, folder, 16<<10)

	leech := testSession(t, filepath.Join(dir, "leech"), false)
	dl := filepath.Join(dir, "dl")
	ih := addOK(t, leech, magnetTo(t, mi, src.ListenAddr()), dl)
	ts := waitFor(t, leech, ih, 30*time.Second, "complete", complete)
	sameTree(t, folder, filepath.Join(dl, "course"))
	if len(ts.Files) != 4 {
		t.Errorf("want 4 files in the snapshot, got %+v", ts.Files)
	}
}

func TestTorrentFileWithWebSeedOnly(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "game.pak")
	writeRandom(t, content, 2<<20+99, 5)
	var handler atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.Load().(http.Handler).ServeHTTP(w, r)
	}))
	defer srv.Close()
	mi, err := publisher.Build(content, publisher.BuildOptions{PieceLength: 64 << 10, WebSeeds: []string{srv.URL + publisher.WebSeedPath}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := publisher.NewContentServer(mi, content, nil, publisher.ContentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	handler.Store(http.Handler(cs))
	torrentFile := filepath.Join(dir, "game.torrent")
	if err := publisher.WriteTorrentFile(mi, torrentFile); err != nil {
		t.Fatal(err)
	}

	s := testSession(t, filepath.Join(dir, "home"), false)
	ih := addOK(t, s, torrentFile, filepath.Join(dir, "dl"))
	ts := waitFor(t, s, ih, 30*time.Second, "complete", complete)
	if sha(t, content) != sha(t, filepath.Join(dir, "dl", "game.pak")) {
		t.Fatal("downloaded file differs")
	}
	for deadline := time.Now().Add(2 * time.Second); cs.BytesServed() < ts.Size && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond) // the server counts just after the client reads
	}
	if cs.BytesServed() < ts.Size {
		t.Errorf("web seed served %d bytes, want ≥ %d", cs.BytesServed(), ts.Size)
	}
}

func TestVanishedAndTruncatedFilesRefetchOnlyWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "pub", "pack")
	const pieceLen = 32 << 10
	writeRandom(t, filepath.Join(folder, "a.bin"), 1<<20, 6)
	writeRandom(t, filepath.Join(folder, "b.bin"), 512<<10, 7)
	writeRandom(t, filepath.Join(folder, "c.bin"), 256<<10, 8)
	src := testSession(t, filepath.Join(dir, "src"), true)
	mi := seed(t, src, folder, pieceLen)

	home, dl := filepath.Join(dir, "leech"), filepath.Join(dir, "dl")
	leech := testSession(t, home, false)
	ih := addOK(t, leech, magnetTo(t, mi, src.ListenAddr()), dl)
	waitFor(t, leech, ih, 30*time.Second, "complete", complete)
	leech.Close()

	// While stopped: a.bin loses its last two thirds, c.bin vanishes.
	a := filepath.Join(dl, "pack", "a.bin")
	if err := os.Truncate(a, (1<<20)/3); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dl, "pack", "c.bin"))
	missing := int64(1<<20-(1<<20)/3) + 256<<10

	again := testSession(t, home, false)
	ts := waitFor(t, again, ih, 30*time.Second, "complete again", complete)
	sameTree(t, folder, filepath.Join(dl, "pack"))
	_, down, err := again.SessionTotals(ih)
	if err != nil {
		t.Fatal(err)
	}
	if down < missing || down > missing+2*pieceLen {
		t.Errorf("re-fetched %d bytes; want the %d missing bytes plus at most the two damaged files' boundary pieces", down, missing)
	}
	if ts.Hashed > missing+2*pieceLen+int64(ts.Size)/4 {
		t.Errorf("hashed %d bytes on restart: more than the damaged ranges", ts.Hashed)
	}
}

func TestBadSourcesAreRejectedAndNothingIsStored(t *testing.T) {
	dir := t.TempDir()
	notTorrent := filepath.Join(dir, "junk.torrent")
	writeRandom(t, notTorrent, 4096, 9)
	home := filepath.Join(dir, "home")
	s := testSession(t, home, false)
	bad := map[string]string{
		"no xt":         "magnet:?dn=thing&tr=http://127.0.0.1:1/announce",
		"short hash":    "magnet:?xt=urn:btih:" + strings.Repeat("a", 39),
		"non-hex hash":  "magnet:?xt=urn:btih:" + strings.Repeat("z", 40),
		"not a magnet":  "magnet:%%%",
		"missing file":  filepath.Join(dir, "nope.torrent"),
		"not a torrent": notTorrent,
		"a folder":      dir,
		"empty":         "   ",
		"dead .torrent": "http://127.0.0.1:1/x.torrent",
	}
	for name, source := range bad {
		_, err := s.Add(context.Background(), source, AddOptions{SaveDir: filepath.Join(dir, "dl")})
		if err == nil {
			t.Errorf("%s: Add(%q) succeeded", name, source)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error is not one line: %q", name, err)
		}
		if name != "dead .torrent" && !errors.Is(err, ErrBadSource) {
			t.Errorf("%s: error %v is not ErrBadSource", name, err)
		}
	}
	if n := len(s.Snapshot().Torrents); n != 0 {
		t.Errorf("%d torrents in the session after bad input", n)
	}
	s.Close()
	db, err := storage.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if recs, _ := db.Torrents(); len(recs) != 0 {
		t.Errorf("state file holds %d torrents after bad input", len(recs))
	}
}

func TestDuplicateAndUnwritableFolder(t *testing.T) {
	dir := t.TempDir()
	s := testSession(t, filepath.Join(dir, "home"), false)
	magnet := "magnet:?xt=urn:btih:" + strings.Repeat("ab", 20) + "&dn=x"
	ih := addOK(t, s, magnet, filepath.Join(dir, "dl"))
	if _, err := s.Add(context.Background(), magnet, AddOptions{}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second Add: want ErrDuplicate, got %v", err)
	}
	file := filepath.Join(dir, "plain")
	writeRandom(t, file, 10, 10)
	other := "magnet:?xt=urn:btih:" + strings.Repeat("cd", 20)
	_, err := s.Add(context.Background(), other, AddOptions{SaveDir: filepath.Join(file, "sub")})
	if err == nil || !strings.Contains(err.Error(), "choose another folder") {
		t.Errorf("unwritable folder: want a clear error, got %v", err)
	}
	snap := s.Snapshot()
	if len(snap.Torrents) != 1 || snap.Torrents[0].InfoHash != ih {
		t.Errorf("want only the first torrent, got %+v", snap.Torrents)
	}
}

func TestFullDiskStopsWithErrorAndKeepsState(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "big.bin")
	writeRandom(t, content, 1<<20, 11)
	src := testSession(t, filepath.Join(dir, "src"), true)
	mi := seed(t, src, content, 32<<10)
	dl := filepath.Join(dir, "dl")
	os.MkdirAll(dl, 0o755)
	// Every write to the file fails with ENOSPC, as on a full disk.
	if err := os.Symlink("/dev/full", filepath.Join(dl, "big.bin")); err != nil {
		t.Fatal(err)
	}
	s := testSession(t, filepath.Join(dir, "home"), false)
	ih := addOK(t, s, magnetTo(t, mi, src.ListenAddr()), dl)
	ts := waitFor(t, s, ih, 20*time.Second, "in error", func(ts TorrentSnapshot) bool { return ts.State == StateError })
	if !strings.Contains(ts.Error, "free some space") {
		t.Errorf("error should tell the user what to do: %q", ts.Error)
	}
	if ts.Done != 0 {
		t.Errorf("%d bytes counted done on a disk that accepts nothing", ts.Done)
	}
}

func TestSecondSessionOnSameHomeFailsFast(t *testing.T) {
	home := t.TempDir()
	testSession(t, home, false)
	start := time.Now()
	_, err := Open(Config{Home: home, ListenAddr: "127.0.0.1:0"})
	if !errors.Is(err, storage.ErrAlreadyRunning) || !strings.Contains(err.Error(), "Fairshare is already running") {
		t.Fatalf("want the already-running error, got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s to refuse", d)
	}
}

func TestPauseResumeAndRemove(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "f.bin")
	writeRandom(t, content, 1<<20, 12)
	src := testSession(t, filepath.Join(dir, "src"), true)
	mi := seed(t, src, content, 32<<10)
	home, dl := filepath.Join(dir, "home"), filepath.Join(dir, "dl")
	s := testSession(t, home, false)
	ih, err := s.Add(context.Background(), magnetTo(t, mi, src.ListenAddr()), AddOptions{SaveDir: dl, Paused: true})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if ts, _ := find(s.Snapshot(), ih); ts.State != StatePaused || ts.Done != 0 {
		t.Fatalf("added paused: state %q done %d", ts.State, ts.Done)
	}
	if err := s.Resume(ih); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, ih, 30*time.Second, "complete", complete)
	if err := s.Pause(ih); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = testSession(t, home, false)
	if ts, _ := find(s.Snapshot(), ih); ts.State != StatePaused {
		t.Errorf("pause not remembered across restart: %q", ts.State)
	}
	keep := filepath.Join(dl, "keep.txt")
	writeRandom(t, keep, 10, 13)
	if err := s.Remove(ih, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dl, "f.bin")); !os.IsNotExist(err) {
		t.Errorf("remove with delete left the file: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("remove deleted a file that is not the torrent's: %v", err)
	}
	if err := s.Resume(ih); !errors.Is(err, ErrNotFound) {
		t.Errorf("resume after remove: want ErrNotFound, got %v", err)
	}
}

func TestEngineAndStorageNeverImportFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "nosqlite", "-deps", "fairshare/engine/...", "fairshare/storage/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "fyne.io/") || strings.HasPrefix(dep, "fairshare/app") {
			t.Errorf("engine or storage depends on %s", dep)
		}
	}
}
