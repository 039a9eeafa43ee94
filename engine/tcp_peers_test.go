package engine

import (
	"net"
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

// TestListenAll: the same port on every network, port 0 resolved once,
// a network that cannot listen skipped, and a taken port reported.
func TestListenAll(t *testing.T) {
	loop := func(n string) string {
		if n == "tcp6" {
			return "::1"
		}
		return "127.0.0.1"
	}
	ls, retry, err := listenAll([]string{"tcp4", "tcp6"}, loop, 0)
	if err != nil || retry {
		t.Fatalf("listenAll on port 0: %v (retry %v)", err, retry)
	}
	port := ls[0].Addr().(*net.TCPAddr).Port
	for _, l := range ls {
		if l.Addr().(*net.TCPAddr).Port != port {
			t.Errorf("%s listens on %s, want port %d on every network", l.Addr().Network(), l.Addr(), port)
		}
	}
	for _, l := range ls {
		t.Logf("listening on %s", l.Addr())
	}

	// IPv4 cannot listen on an IPv6 host: IPv6 alone carries on.
	v6, _, err := listenAll([]string{"tcp4", "tcp6"}, func(string) string { return "::1" }, 0)
	if err == nil {
		for _, l := range v6 {
			if l.Addr().(*net.TCPAddr).IP.To4() != nil {
				t.Errorf("IPv4 listener %s on an IPv6 host", l.Addr())
			}
			l.Close()
		}
	} else {
		t.Logf("no IPv6 loopback here: %v", err)
	}

	// The port is taken now: a fixed port fails with a useful error.
	_, retry, err = listenAll([]string{"tcp4"}, loop, port)
	if err == nil || retry || !strings.Contains(err.Error(), "listening for peers") {
		t.Errorf("listenAll on a taken port: %v (retry %v), want a listening error", err, retry)
	}
	for _, l := range ls {
		l.Close()
	}
}
