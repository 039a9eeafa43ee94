package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anacrolix/torrent/metainfo"

	"fairshare/engine/publisher"
	"fairshare/storage"
)

const (
	getTimeout = 90 * time.Second // a whole get of a few MiB, under -race on 2 loaded cores
	cmdTimeout = 30 * time.Second // commands that fail or finish at once
)

// getArgs is a get of source into a fresh download folder, on loopback.
func getArgs(source, home, dir string, extra ...string) []string {
	return append([]string{"get", source, "--home", home, "--dir", dir,
		"--listen", "127.0.0.1:0", "--json", "--stall-timeout", "45s"}, extra...)
}

// assertCompleteGet checks a successful get: exit 0, nothing on stderr, a
// final JSON line that is complete, with at least minDownloaded bytes
// downloaded this run.
func assertCompleteGet(t *testing.T, r result, size, minDownloaded int64) getStatus {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("get exited %d, want 0\n%s", r.code, r.p.dump())
	}
	if r.stderr != "" {
		t.Errorf("get succeeded but wrote to stderr: %q", r.stderr)
	}
	final := finalStatus(t, r)
	if !final.Complete || final.State != "seeding" {
		t.Errorf("final status complete=%v state=%q, want complete in state seeding", final.Complete, final.State)
	}
	if final.Size != size || final.Done != size {
		t.Errorf("final size=%d done=%d, want both %d", final.Size, final.Done, size)
	}
	if final.BytesDownloaded < minDownloaded {
		t.Errorf("final bytes_downloaded=%d, want ≥ %d", final.BytesDownloaded, minDownloaded)
	}
	return final
}

// folderLayout is a nested folder with awkward names and sizes: not
// multiples of any piece length, a tiny file and an empty one.
var folderLayout = []struct {
	rel  string
	size int64
}{
	{"album/disc 1/01 intro.bin", 700_001},
	{"album/disc 1/02 main theme.bin", 1_234_567},
	{"album/disc 2/deep/er/03.bin", 512 << 10},
	{"album/notes.txt", 1_000},
	{"album/empty.dat", 0},
	{"album/z-last.bin", 333_333},
}

// makeFolder writes folderLayout below parent and returns the folder.
func makeFolder(t *testing.T, parent string, seed uint64) (root string, size int64) {
	t.Helper()
	root = filepath.Join(parent, "album")
	for i, f := range folderLayout {
		writeRandomFile(t, filepath.Join(parent, filepath.FromSlash(f.rel)), f.size, seed+uint64(i))
		size += f.size
	}
	return root, size
}

// TestPublishGetSingleFile: publish → get over loopback, one 8 MiB file.
func TestPublishGetSingleFile(t *testing.T) {
	t.Parallel()
	const size = 8 << 20
	src := filepath.Join(t.TempDir(), "single.bin")
	writeRandomFile(t, src, size, 1)
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()

	pub := startPublish(t, src)
	r := runCLI(t, getTimeout, getArgs(pub.magnet, home, dir)...)
	final := assertCompleteGet(t, r, size, size)
	if got, want := sha256File(t, filepath.Join(dir, "single.bin")), sha256File(t, src); got != want {
		t.Errorf("sha256 of the download %s, want %s", got, want)
	}
	assertSameTree(t, filepath.Dir(src), dir)
	t.Logf("8 MiB over loopback in %.1fs, bytes_downloaded=%d", final.Seconds, final.BytesDownloaded)
}

// TestPublishGetFolder: publish → get of a folder with nested dirs.
func TestPublishGetFolder(t *testing.T) {
	t.Parallel()
	root, size := makeFolder(t, t.TempDir(), 100)
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()

	pub := startPublish(t, root)
	r := runCLI(t, getTimeout, getArgs(pub.magnet, home, dir)...)
	final := assertCompleteGet(t, r, size, size)
	assertSameTree(t, root, filepath.Join(dir, "album"))
	t.Logf("folder of %d bytes in %.1fs, bytes_downloaded=%d", size, final.Seconds, final.BytesDownloaded)
}

// webSeed serves a .torrent's content from the test process, the way a
// publisher's HTTP server does, on 127.0.0.1.
type webSeed struct {
	srv     *httptest.Server
	content atomic.Pointer[publisher.ContentServer]
}

func startWebSeed(t *testing.T) *webSeed {
	t.Helper()
	ws := &webSeed{}
	ws.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs := ws.content.Load()
		if cs == nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		cs.ServeHTTP(w, r)
	}))
	t.Cleanup(ws.srv.Close)
	if !strings.HasPrefix(ws.srv.URL, "http://127.0.0.1:") {
		t.Fatalf("web seed is not on loopback: %s", ws.srv.URL)
	}
	return ws
}

func (ws *webSeed) url() string { return ws.srv.URL + publisher.WebSeedPath }

func (ws *webSeed) served() int64 {
	if cs := ws.content.Load(); cs != nil {
		return cs.BytesServed()
	}
	return 0
}

// createWebSeedTorrent runs `create src -o DIR/x.torrent --webseed URL`
// and starts serving src from ws. It returns the .torrent's path.
func createWebSeedTorrent(t *testing.T, ws *webSeed, src string, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "x.torrent")
	r := runCLI(t, cmdTimeout, append([]string{"create", src, "-o", out, "--webseed", ws.url()}, extra...)...)
	if r.code != 0 {
		t.Fatalf("create failed\n%s", r.p.dump())
	}
	mi, err := metainfo.LoadFromFile(out)
	if err != nil {
		t.Fatalf("create wrote an unreadable torrent: %v", err)
	}
	if len(r.lines) != 1 || !strings.Contains(r.lines[0], "xt=urn:btih:"+mi.HashInfoBytes().HexString()) {
		t.Errorf("create should print the torrent's magnet, got %q", r.lines)
	}
	if got := mi.UrlList; len(got) != 1 || got[0] != ws.url() {
		t.Errorf("torrent web seeds %q, want [%s]", got, ws.url())
	}
	if len(mi.UpvertedAnnounceList()) != 0 {
		t.Errorf("torrent has trackers %v; it must rely on the web seed alone", mi.UpvertedAnnounceList())
	}
	cs, err := publisher.NewContentServer(mi, src, nil, publisher.ContentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ws.content.Store(cs)
	return out
}

// TestWebSeedOnlyTorrent: a .torrent with a web seed and no tracker or
// seeding peer downloads entirely from the web seed. The folder has spaces
// and URL-special characters in its names, which the web seed URLs must
// escape.
func TestWebSeedOnlyTorrent(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	root, size := makeFolder(t, parent, 200)
	writeRandomFile(t, filepath.Join(root, "odd #1 100% ?.bin"), 200_000, 300)
	size += 200_000
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()

	ws := startWebSeed(t)
	torrent := createWebSeedTorrent(t, ws, root)
	r := runCLI(t, getTimeout, getArgs(torrent, home, dir)...)
	assertCompleteGet(t, r, size, size)
	assertSameTree(t, root, filepath.Join(dir, "album"))
	if served := ws.served(); served < size {
		t.Errorf("web seed served %d bytes, want ≥ size %d: the data did not come from it", served, size)
	} else {
		t.Logf("web seed served %d bytes for %d (%.2fx)", served, size, float64(served)/float64(size))
	}
}

// TestGetDuplicateAddIsNoop: getting a torrent that is already complete in
// the home exits 0 at once, downloads nothing and changes no state.
func TestGetDuplicateAddIsNoop(t *testing.T) {
	t.Parallel()
	const size = 3<<20 + 12345
	src := filepath.Join(t.TempDir(), "dup.bin")
	writeRandomFile(t, src, size, 400)
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()
	ws := startWebSeed(t)
	torrent := createWebSeedTorrent(t, ws, src)
	assertCompleteGet(t, runCLI(t, getTimeout, getArgs(torrent, home, dir)...), size, size)

	servedBefore, stateBefore := ws.served(), stateDump(t, home)
	for _, source := range []string{torrent, magnetOf(t, torrent)} {
		r := runCLI(t, cmdTimeout, getArgs(source, home, dir)...)
		final := assertCompleteGet(t, r, size, 0)
		if final.BytesDownloaded != 0 {
			t.Errorf("get of %.40s… again: bytes_downloaded=%d, want 0", source, final.BytesDownloaded)
		}
		if el := r.p.elapsed(); el > 10*time.Second {
			t.Errorf("get of an already complete torrent took %s", el)
		}
	}
	if got := ws.served(); got != servedBefore {
		t.Errorf("web seed served %d more bytes for an already complete torrent", got-servedBefore)
	}
	if got := stateDump(t, home); got != stateBefore {
		t.Errorf("state changed by a duplicate get:\nbefore:\n%s\nafter:\n%s", stateBefore, got)
	}
	if got := sha256File(t, filepath.Join(dir, "dup.bin")); got != sha256File(t, src) {
		t.Errorf("download changed by a duplicate get")
	}

	// list shows the one torrent, with what the first get downloaded.
	r := runCLI(t, cmdTimeout, "list", "--home", home, "--json")
	if r.code != 0 || r.stderr != "" || len(r.lines) != 1 {
		t.Fatalf("list --json failed\n%s", r.p.dump())
	}
	var listed []storage.Torrent
	if err := json.Unmarshal([]byte(r.lines[0]), &listed); err != nil {
		t.Fatalf("list --json: %v\n%s", err, r.lines[0])
	}
	wantIH := strings.TrimPrefix(strings.SplitN(magnetOf(t, torrent), "&", 2)[0], "magnet:?xt=urn:btih:")
	if len(listed) != 1 || listed[0].InfoHash != wantIH || listed[0].Name != "dup.bin" ||
		listed[0].Downloaded != size || listed[0].SaveDir != dir {
		t.Errorf("list --json = %+v, want one torrent %s named dup.bin in %s with %d bytes downloaded",
			listed, wantIH, dir, size)
	}
}

// magnetOf is the magnet `create` would print for a .torrent.
func magnetOf(t *testing.T, torrentPath string) string {
	t.Helper()
	mi, err := metainfo.LoadFromFile(torrentPath)
	if err != nil {
		t.Fatal(err)
	}
	m, err := publisher.Magnet(mi, publisher.MagnetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGetJSONShowsPeerRTT: while a capped get runs, its --json lines show
// the publisher (a Fairshare peer) with an RTT from our ping extension.
// Loopback RTTs, even queued behind capped data, are far below 5 s, so
// anything larger is a unit mistake (ns or µs printed as ms).
func TestGetJSONShowsPeerRTT(t *testing.T) {
	t.Parallel()
	const size = 2 << 20
	src := filepath.Join(t.TempDir(), "rtt.bin")
	writeRandomFile(t, src, size, 4)
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()

	pub := startPublish(t, src)
	r := runCLI(t, getTimeout, getArgs(pub.magnet, home, dir, "--down-limit", "512")...)
	assertCompleteGet(t, r, size, size)
	for _, st := range decodeLines[getStatus](t, r.lines) {
		for _, p := range st.Peers {
			if p.RTTSource == "ping" && p.RTTMs > 0 && p.RTTMs < 5000 && p.RTTVarMs >= 0 {
				t.Logf("publisher %s: rtt_ms %.3f rtt_var_ms %.3f", p.Addr, p.RTTMs, p.RTTVarMs)
				return
			}
		}
	}
	t.Errorf("no get --json line shows a peer with rtt_source ping and 0 < rtt_ms < 5000")
}
