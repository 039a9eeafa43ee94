package engine

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"fairshare/engine/latencyproxy"
	"fairshare/engine/publisher"
)

// TestWebSeedShowsRequestRTT: a web seed behind 30 ms of added delay is
// listed with a "request" RTT no shorter than that delay, from HEAD
// probes of its host.
func TestWebSeedShowsRequestRTT(t *testing.T) {
	const added = 30 * time.Millisecond
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "doc.bin")
	writeRandom(t, content, 1<<20, 12)
	var heads atomic.Int64
	var handler atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			heads.Add(1)
		}
		handler.Load().(http.Handler).ServeHTTP(w, r)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	proxy, err := latencyproxy.Start(u.Host, added)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	mi, err := publisher.Build(content, publisher.BuildOptions{PieceLength: 64 << 10, WebSeeds: []string{"http://" + proxy.Addr() + publisher.WebSeedPath}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := publisher.NewContentServer(mi, content, nil, publisher.ContentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	handler.Store(http.Handler(cs))
	torrentFile := filepath.Join(dir, "doc.torrent")
	if err := publisher.WriteTorrentFile(mi, torrentFile); err != nil {
		t.Fatal(err)
	}

	s := rttSession(t, filepath.Join(dir, "home"), 0, true)
	ih := addOK(t, s, torrentFile, filepath.Join(dir, "dl"))
	// Keep the web seed listed: a finished torrent may let it go.
	anacrolixTorrent(t, s, ih).DisallowDataDownload()
	ts := waitFor(t, s, ih, 15*time.Second, "showing the web seed's RTT", func(ts TorrentSnapshot) bool {
		p, ok := peerAt(ts, proxy.Addr())
		return ok && p.Network == NetworkWebSeed && p.RTTSource == "request"
	})
	p, _ := peerAt(ts, proxy.Addr())
	if p.RTT < added || p.RTT > added+time.Second {
		t.Errorf("web seed RTT %v, want between the added %v and a second more", p.RTT, added)
	}
	if heads.Load() == 0 {
		t.Error("the server saw no HEAD probe")
	}
	t.Logf("web seed %s: %s RTT %v after %d HEAD probes", p.Addr, p.RTTSource, p.RTT, heads.Load())
}
