package interop

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fairshare/engine"
)

// webrtcDeadline bounds each wait in the WebRTC tests: under -race and a
// loaded machine, ICE, DTLS and SCTP setup take seconds, and SCTP over a
// data channel moves a few MB/s.
const webrtcDeadline = 120 * time.Second

// rtcGetLine is the part of `fairshare get --json` the WebRTC tests read.
type rtcGetLine struct {
	State    string  `json:"state"`
	Done     int64   `json:"done"`
	Complete bool    `json:"complete"`
	Final    bool    `json:"final"`
	Seconds  float64 `json:"seconds"`
	Uploaded int64   `json:"bytes_uploaded"`
	Peers    []struct {
		Addr       string  `json:"addr"`
		Network    string  `json:"network"`
		Client     string  `json:"client"`
		Source     bool    `json:"source"`
		Downloaded int64   `json:"downloaded"`
		Uploaded   int64   `json:"uploaded"`
		RTTMillis  float64 `json:"rtt_ms"`
		RTTSource  string  `json:"rtt_source"`
	} `json:"peers"`
}

// TestWebRTCBetweenFairshareClients: two Fairshare clients with TCP off
// exchange a file over WebRTC data channels, introduced by the
// publisher's WebTorrent tracker. A starts with the file; B has only the
// info hash and the ws:// tracker, so metadata and data can reach it over
// WebRTC only. The publisher seeds too but at 32 KiB/s, so most of the
// file must come from A. A's upload is capped at 1 MiB/s so the transfer
// spans several status lines, which must list the peers and their RTT.
func TestWebRTCBetweenFairshareClients(t *testing.T) {
	ns := newNetns(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "pub", "payload.bin")
	want := randomFile(t, src, fileSize)
	_, q := startPublishIn(t, ns, src, filepath.Join(dir, "pub-home"), "--up-limit", "32")
	magnet := webrtcOnlyMagnet(t, q)
	t.Logf("magnet for the clients: %s", magnet)

	aDir := filepath.Join(dir, "a")
	copyFile(t, src, filepath.Join(aDir, "payload.bin"))
	a := ns.startCLI(t, "fairshare get A", webrtcGetArgs(ns, magnet, filepath.Join(dir, "a-home"), aDir, "--seed", "--up-limit", "1024")...)
	a.logFiles = append(a.logFiles, filepath.Join(dir, "a-home", "fairshare.log"))
	waitJSON(a, webrtcDeadline, "A seeding its copy", func(l rtcGetLine) bool { return l.Complete })

	bDir := filepath.Join(dir, "b")
	start := time.Now()
	b := ns.startCLI(t, "fairshare get B", webrtcGetArgs(ns, magnet, filepath.Join(dir, "b-home"), bDir)...)
	b.logFiles = append(b.logFiles, filepath.Join(dir, "b-home", "fairshare.log"))
	final := waitJSON(b, webrtcDeadline, "B's final line", func(l rtcGetLine) bool { return l.Final })
	b.wait(10 * time.Second)
	t.Logf("B: %d bytes over WebRTC in %s (%.1f MiB/s)", final.Done, time.Since(start).Round(time.Millisecond),
		float64(final.Done)/(1<<20)/time.Since(start).Seconds())
	if !final.Complete {
		t.Fatalf("B ended incomplete: %+v", final)
	}
	if got := fileSHA256(t, filepath.Join(bDir, "payload.bin")); got != want {
		t.Fatalf("B's file sha256 %s, want %s", got, want)
	}
	checkWebRTCPeers(t, b, "ping", "ice")
	// A's only other peer is the publisher, a seed: what A uploaded went
	// to B. Per-peer counts are not used, as peers vanish from the status
	// lines once both sides are complete.
	up := waitJSON(a, 10*time.Second, "A having uploaded most of the file", func(l rtcGetLine) bool { return l.Uploaded >= fileSize/2 })
	t.Logf("A's upload counter passed half the file: %d bytes", up.Uploaded)
	checkWebRTCPeers(t, a, "ping", "ice")
}

// checkWebRTCPeers checks that every peer p ever reported is a WebRTC
// peer that showed, at least once, an RTT from one of rttSources, and
// returns the most it reported receiving from non-source and source
// peers.
func checkWebRTCPeers(t *testing.T, p *proc, rttSources ...string) (fromClients, fromSource int64) {
	t.Helper()
	most := map[string]int64{}
	source := map[string]bool{}
	rtts := map[string]string{}
	lastSource := map[string]string{}
	seen := 0
	for _, line := range p.allLines() {
		var l rtcGetLine
		if !decodeLine(line, &l) {
			continue
		}
		for _, pe := range l.Peers {
			seen++
			if pe.Network != string(engine.NetworkWebRTC) {
				t.Errorf("%s: peer %s (%s) has network %q, want webrtc", p.name, pe.Addr, pe.Client, pe.Network)
			}
			most[pe.Addr] = max(most[pe.Addr], pe.Downloaded)
			source[pe.Addr] = pe.Source
			if pe.RTTSource != "" {
				lastSource[pe.Addr] = pe.RTTSource
			}
			if pe.RTTMillis > 0 && slices.Contains(rttSources, pe.RTTSource) {
				rtts[pe.Addr] = fmt.Sprintf("%.2f ms (%s)", pe.RTTMillis, pe.RTTSource)
			}
		}
	}
	for addr := range most {
		if r, ok := rtts[addr]; ok {
			t.Logf("%s: peer %s RTT %s", p.name, addr, r)
		} else {
			t.Errorf("%s: peer %s never showed an RTT from %v (last source shown: %q)", p.name, addr, rttSources, lastSource[addr])
		}
	}
	if seen == 0 {
		t.Errorf("%s reported no peers", p.name)
	}
	for addr, n := range most {
		if source[addr] {
			fromSource += n
		} else {
			fromClients += n
		}
	}
	return fromClients, fromSource
}

func webrtcGetArgs(ns *netns, magnet, home, dir string, extra ...string) []string {
	return append([]string{"get", magnet, "--home", home, "--dir", dir, "--listen", ns.nsIP + ":0",
		"--no-tcp", "--ice-server", "none", "--json", "--stall-timeout", "90s"}, extra...)
}

// startPublishIn runs `fairshare publish` inside ns, without STUN, and
// waits until it seeds. It returns the magnet's parameters.
func startPublishIn(t *testing.T, ns *netns, src, home string, extra ...string) (*proc, url.Values) {
	t.Helper()
	args := append([]string{"publish", src, "--home", home, "--listen", ns.nsIP + ":0",
		"--tracker-addr", ns.nsIP + ":0", "--ice-server", "none", "--json"}, extra...)
	pub := ns.startCLI(t, "fairshare publish", args...)
	pub.logFiles = append(pub.logFiles, filepath.Join(home, "fairshare.log"))
	magnet := pub.waitLine(deadline, "magnet line", func(l string) bool { return strings.HasPrefix(l, "magnet:?") })
	q, err := url.ParseQuery(strings.TrimPrefix(magnet, "magnet:?"))
	if err != nil {
		t.Fatalf("magnet %q: %v", magnet, err)
	}
	waitJSON(pub, deadline, "publisher seeding", func(l publishLine) bool { return l.State == string(engine.StateSeeding) })
	return pub, q
}

// webrtcOnlyMagnet keeps the info hash, name and ws:// tracker of the
// publisher's magnet, and drops the HTTP tracker, web seed and .torrent
// URL, so that a client can only use WebRTC peers.
func webrtcOnlyMagnet(t *testing.T, q url.Values) string {
	t.Helper()
	var ws []string
	for _, tr := range q["tr"] {
		if strings.HasPrefix(tr, "ws://") {
			ws = append(ws, tr)
		}
	}
	if len(ws) != 1 {
		t.Fatalf("want one ws:// tracker in the publisher's magnet, got trackers %q", q["tr"])
	}
	// xt stays unescaped: WebTorrent's parser rejects "urn%3Abtih%3A".
	return "magnet:?xt=" + q.Get("xt") + "&dn=" + url.QueryEscape(q.Get("dn")) + "&tr=" + url.QueryEscape(ws[0])
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
