package engine

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/storage"
	"golang.org/x/time/rate"

	"fairshare/engine/latencyproxy"
	"fairshare/engine/rtt"
)

// TestThirdPartyPeerRTTSources downloads from a plain anacrolix seed (no
// fairshare_ping) behind 40 ms of added delay. The kernel's TCP RTT is
// shown, labelled "tcp": our socket ends at the proxy, so it sees only the
// loopback hop. Request latency, kept beside it, crosses the proxy and can
// never be below the path's RTT; the seed's upload cap keeps queueing
// modest but not zero.
func TestThirdPartyPeerRTTSources(t *testing.T) {
	const added = 40 * time.Millisecond
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "third.bin")
	writeRandom(t, content, 4<<20, 9)
	mi := buildInfo(t, content)

	cfg := torrent.NewDefaultClientConfig()
	cfg.ListenHost = func(string) string { return "127.0.0.1" }
	cfg.ListenPort = 0
	cfg.NoDHT, cfg.DisableIPv6, cfg.NoDefaultPortForwarding = true, true, true
	cfg.DataDir = filepath.Dir(content)
	// In-memory completion: nothing to close after the client.
	cfg.DefaultStorage = storage.NewFileOpts(storage.NewFileClientOpts{
		ClientBaseDir: cfg.DataDir, PieceCompletion: storage.NewMapPieceCompletion(),
	})
	cfg.Seed = true
	cfg.DisableUTP = true
	cfg.UploadRateLimiter = rate.NewLimiter(256<<10, 1<<20)
	cl, err := torrent.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	tt, err := cl.AddTorrent(mi)
	if err != nil {
		t.Fatal(err)
	}
	if err := tt.VerifyDataContext(t.Context()); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(10 * time.Second); !tt.Complete().Bool(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("plain anacrolix seed has %d of %d bytes after verifying", tt.BytesCompleted(), tt.Length())
		}
	}
	proxy, err := latencyproxy.Start(fmt.Sprintf("127.0.0.1:%d", cl.LocalPort()), added)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()

	dl := rttSession(t, filepath.Join(dir, "dl"), 0, true)
	ih := addOK(t, dl, magnetTo(t, mi, proxy.Addr()), filepath.Join(dir, "out"))
	var req rtt.Estimate
	ts := waitFor(t, dl, ih, 30*time.Second, "showing a tcp RTT and measuring request latency", func(ts TorrentSnapshot) bool {
		p, ok := peerAt(ts, proxy.Addr())
		var has bool
		req, has = bookEstimate(dl, proxy.Addr(), rtt.SourceRequest)
		return ok && p.RTTSource == "tcp" && p.RTT > 0 && has
	})
	p, _ := peerAt(ts, proxy.Addr())
	if p.RTT >= added {
		t.Errorf("tcp RTT %v to the local proxy, want below the %v the proxy adds beyond it", p.RTT, added)
	}
	if d := req.Display(); d < added || d > added+time.Second {
		t.Errorf("request RTT %v, want between the added %v and a second more", d, added)
	}
	if p.Client == "Fairshare/test" {
		t.Errorf("plain anacrolix seed reported as %q", p.Client)
	}
	t.Logf("third-party seed %s (%s): %s RTT %v ± %v; request RTT %v", p.Addr, p.Client, p.RTTSource, p.RTT, p.RTTVar, req.Display())
}

// bookEstimate is the session's estimate from one source for the peer at
// addr, whether or not it is the one shown.
func bookEstimate(s *Session, addr string, src rtt.Source) (rtt.Estimate, bool) {
	s.rtt.mu.Lock()
	defer s.rtt.mu.Unlock()
	for p, st := range s.rtt.peers {
		if e, ok := st.est[src]; ok && fmt.Sprint(p.RemoteAddr) == addr && e.Estimate().Samples > 0 {
			return e.Estimate(), true
		}
	}
	return rtt.Estimate{}, false
}
