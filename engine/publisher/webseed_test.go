package publisher

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

// noRedirects sees a handler's own answer, not where it points.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

func get(t *testing.T, rawURL string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func serveContent(t *testing.T, root string, o ContentOptions) (*metainfo.MetaInfo, *ContentServer, string) {
	t.Helper()
	mi, err := Build(root, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := NewContentServer(mi, root, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(cs)
	t.Cleanup(srv.Close)
	return mi, cs, srv.URL
}

func TestContentServerRangesAndCounting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.bin")
	writeRandom(t, path, 100_000)
	want, _ := os.ReadFile(path)
	_, cs, base := serveContent(t, path, ContentOptions{})

	resp, body := get(t, base+"/webseed/data.bin", nil)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("full GET: %s, %d bytes", resp.Status, len(body))
	}
	resp, body = get(t, base+"/webseed/data.bin", http.Header{"Range": {"bytes=1000-1999"}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[1000:2000]) {
		t.Fatalf("range GET: %s, %d bytes", resp.Status, len(body))
	}
	// The handler counts after its copy returns, which can be just after
	// the client has read the body.
	deadline := time.Now().Add(2 * time.Second)
	for cs.BytesServed() < 101_000 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := cs.BytesServed(); got != 101_000 {
		t.Errorf("BytesServed = %d, want 101000", got)
	}
	if resp, _ := get(t, base+"/webseed/data.bin", http.Header{"Range": {"bytes=200000-"}}); resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: %s", resp.Status)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/webseed/data.bin", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v", resp.Status, err)
	}
}

// Only the torrent's files are reachable: no listings, and no way out of
// the folder however ".." is spelled, mounted alone or behind a ServeMux.
func TestContentServerServesOnlyTorrentFiles(t *testing.T) {
	root := makeTree(t)
	secret := filepath.Join(filepath.Dir(root), "secret.txt")
	os.WriteFile(secret, []byte("TOP SECRET"), 0o644)
	mi, _, direct := serveContent(t, root, ContentOptions{})
	// On disk but not in the torrent: added after publishing.
	writeRandom(t, filepath.Join(root, "late.bin"), 10)
	cs, err := NewContentServer(mi, root, nil, ContentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(WebSeedPath, cs)
	mux.Handle(TorrentPath, cs)
	muxSrv := httptest.NewServer(mux)
	defer muxSrv.Close()

	if resp, _ := get(t, direct+"/webseed/My%20Share/a.txt", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("a real file: %s", resp.Status)
	}
	for _, base := range []string{direct, muxSrv.URL} {
		for _, p := range []string{
			"/webseed/",
			"/webseed/My%20Share",
			"/webseed/My%20Share/",
			"/webseed/My%20Share/sub%20dir",
			"/webseed/My%20Share/late.bin",
			"/webseed/My%20Share/../secret.txt",
			"/webseed/My%20Share/%2e%2e/secret.txt",
			"/webseed/My%20Share/..%2fsecret.txt",
			"/webseed/My%20Share/%2E%2E%2Fsecret.txt",
			"/webseed/..%2f..%2fsecret.txt",
			"/webseed/My%20Share/sub%20dir/../a.txt",
			"/webseed/My%20Share//a.txt",
			"/webseed/My%20Share/./a.txt",
			"/secret.txt",
			"/torrent/",
		} {
			resp, body := get(t, base+p, nil)
			if resp.StatusCode == http.StatusOK || bytes.Contains(body, []byte("SECRET")) {
				t.Errorf("%s%s: %s %q", base, p, resp.Status, body)
			}
		}
	}
}

func mustBuild(t *testing.T, root string) *metainfo.MetaInfo {
	t.Helper()
	mi, err := Build(root, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return mi
}

func TestContentServerTorrentFile(t *testing.T) {
	root := makeTree(t)
	mi := mustBuild(t, root)
	raw, _ := bencode.Marshal(mi)
	cs, err := NewContentServer(mi, root, raw, ContentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(cs)
	defer srv.Close()
	p := TorrentURLPath(mi)
	upper := TorrentPath + strings.ToUpper(mi.HashInfoBytes().HexString()) + ".torrent"
	for _, u := range []string{srv.URL + p, srv.URL + upper} {
		resp, body := get(t, u, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-bittorrent" || !bytes.Equal(body, raw) {
			t.Fatalf("%s: %s %q, %d bytes", u, resp.Status, resp.Header.Get("Content-Type"), len(body))
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="My Share.torrent"`) {
			t.Errorf("Content-Disposition %q", cd)
		}
	}
	back, err := metainfo.Load(bytes.NewReader(raw))
	if err != nil || back.HashInfoBytes() != mi.HashInfoBytes() {
		t.Fatalf("served .torrent does not load back: %v", err)
	}
	if resp, _ := get(t, srv.URL+"/torrent/"+strings.Repeat("0", 40)+".torrent", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another info hash: %s", resp.Status)
	}
	if cs.BytesServed() != 0 {
		t.Errorf(".torrent downloads counted as content: %d", cs.BytesServed())
	}
}

func TestContentServerStaleContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.bin")
	writeRandom(t, path, 5000)
	mi, _, base := serveContent(t, path, ContentOptions{})
	writeRandom(t, path, 6000) // the user edits the file after publishing
	if resp, _ := get(t, base+"/webseed/data.bin", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("changed file served: %s", resp.Status)
	}
	if _, err := NewContentServer(mi, path, nil, ContentOptions{}); err == nil || !strings.Contains(err.Error(), "rebuild") {
		t.Errorf("NewContentServer on changed content: %v", err)
	}
	os.Remove(path)
	if _, err := NewContentServer(mi, path, nil, ContentOptions{}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("NewContentServer on missing content: %v", err)
	}
}

// A torrent from elsewhere naming ".." must not be served from outside root.
func TestContentServerRefusesUnsafeTorrent(t *testing.T) {
	info := metainfo.Info{Name: "x", PieceLength: 16 << 10, Pieces: make([]byte, 20),
		Files: []metainfo.FileInfo{{Path: []string{"..", "etc", "passwd"}, Length: 10}}}
	ib, _ := bencode.Marshal(info)
	_, err := NewContentServer(&metainfo.MetaInfo{InfoBytes: ib}, t.TempDir(), nil, ContentOptions{})
	if err == nil || !strings.Contains(err.Error(), "unsafe file name") {
		t.Fatalf("err = %v", err)
	}
}

func activeClients(l *clientLimit) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.active)
}

func TestContentServerMaxConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.bin")
	writeRandom(t, path, 5000)
	_, cs, base := serveContent(t, path, ContentOptions{MaxConcurrent: 1})
	url := base + "/webseed/data.bin"

	// Another client is mid-download: this one is turned away politely.
	if !cs.limit.acquire("192.0.2.1") {
		t.Fatal("first client refused")
	}
	resp, _ := get(t, url, nil)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("over the limit: %s, Retry-After %q", resp.Status, resp.Header.Get("Retry-After"))
	}
	// The .torrent is never limited.
	mi := mustBuild(t, path)
	if resp, _ := get(t, base+TorrentURLPath(mi), nil); resp.StatusCode != http.StatusOK {
		t.Errorf(".torrent while full: %s", resp.Status)
	}
	cs.limit.release("192.0.2.1")

	// A client already admitted may open more requests: one anacrolix
	// client keeps several in flight.
	cs.limit.acquire("127.0.0.1")
	if resp, _ := get(t, url, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("same client's second request: %s", resp.Status)
	}
	cs.limit.release("127.0.0.1")
	if resp, _ := get(t, url, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("after release: %s", resp.Status)
	}
	// The handler releases just after the body is sent; give it a moment.
	deadline := time.Now().Add(5 * time.Second)
	for activeClients(cs.limit) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("client slots leaked")
		}
		time.Sleep(time.Millisecond)
	}
}
