package engine

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestTCPPeersOwnSocketsAndRTT: sessions talk over the TCP sockets the
// engine owns (both directions count as TCP peers, the snapshot shows our
// listener's address), and each open connection reports the kernel's RTT
// by the address the peer snapshot shows, until it closes.
func TestTCPPeersOwnSocketsAndRTT(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	content := filepath.Join(dir, "pub", "rtt.bin")
	writeRandom(t, content, 8<<20, 3)
	src := testSession(t, filepath.Join(dir, "src"), true)
	leech := testSession(t, filepath.Join(dir, "leech"), false)
	setSettings(t, src, func(st *Settings) { st.UpLimitKiB = 256 }) // keep it running a while
	if got := src.Snapshot().ListenAddr; got != src.ListenAddr() || !strings.HasPrefix(got, "127.0.0.1:") || strings.HasSuffix(got, ":0") {
		t.Fatalf("snapshot listen address %q, want our loopback listener %q", got, src.ListenAddr())
	}
	mi := seed(t, src, content, 64<<10)
	ih := addOK(t, leech, magnetTo(t, mi, src.ListenAddr()), filepath.Join(dir, "dl"))
	ts := waitFor(t, leech, ih, 20*time.Second, "receiving from the source", func(ts TorrentSnapshot) bool { return peerBytes(ts) > 0 })

	for _, p := range ts.Peers {
		if p.Network != NetworkTCP {
			continue
		}
		rtt, ok := leech.tcpRTT(p.Addr)
		t.Logf("peer %s: kernel RTT %v (%v)", p.Addr, rtt, ok)
		if runtime.GOOS != "linux" {
			if ok {
				t.Errorf("tcpRTT reported %v off Linux", rtt)
			}
			continue
		}
		if !ok || rtt <= 0 || rtt > time.Second {
			t.Errorf("tcpRTT(%s) = %v, %v; want a loopback RTT (0 < rtt < 1 s)", p.Addr, rtt, ok)
		}
	}
	srcTS, _ := find(src.Snapshot(), ih)
	if tcpPeerCount(srcTS) == 0 {
		t.Error("the source sees no TCP peer: the accepted side is not a TCP peer")
	}
	if _, ok := leech.tcpRTT("127.0.0.1:1"); ok {
		t.Error("tcpRTT answered for an address with no connection")
	}

	// Closed connections are forgotten.
	if err := leech.Remove(ih, false); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		leech.tcp.mu.Lock()
		n := len(leech.tcp.conns)
		leech.tcp.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still tracked 10 s after the torrent was removed", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
