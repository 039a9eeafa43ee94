package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fairshare/engine/wstracker"
)

// webtorrentVersion is the npm package packaging/linux/webtorrent.sh
// installs; keep the two in step.
const webtorrentVersion = "2.8.5"

// browserFileSize is what the issue asks to measure each way.
const browserFileSize = 16 << 20

// webtorrentBundle is where webtorrent.sh puts the browser bundle.
func webtorrentBundle() string {
	cache := os.Getenv("FAIRSHARE_TEST_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "fairshare-test")
	}
	return filepath.Join(cache, "webtorrent-"+webtorrentVersion, "node_modules", "webtorrent", "dist", "webtorrent.min.js")
}

// requireBrowser returns the WebTorrent bundle, or skips the test when it
// or Debian's chromium is missing (fails instead under CI=true, where
// packaging/linux/deps.sh installs both).
func requireBrowser(t *testing.T) string {
	t.Helper()
	var missing []string
	if _, err := exec.LookPath("chromium"); err != nil {
		missing = append(missing, "chromium (apt-get install chromium)")
	}
	bundle := webtorrentBundle()
	if _, err := os.Stat(bundle); err != nil {
		missing = append(missing, bundle+" (run packaging/linux/webtorrent.sh)")
	}
	if len(missing) == 0 {
		return bundle
	}
	msg := "WebTorrent interop needs " + strings.Join(missing, " and ")
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestWebTorrentInChromium: real WebTorrent (the npm package's browser
// bundle) in headless Chromium and Fairshare share files over WebRTC,
// both ways, each verified by SHA-256. Chromium and the Fairshare
// processes run in a network namespace (see netns); the page and its
// report endpoint are served by this test from the host side.
func TestWebTorrentInChromium(t *testing.T) {
	bundle := requireBrowser(t)
	ns := newNetns(t)
	page := newPageServer(t, ns, bundle)
	t.Run("browser downloads from publish", func(t *testing.T) { browserDownloads(t, ns, page) })
	t.Run("fairshare downloads from browser", func(t *testing.T) { fairshareDownloads(t, ns, page) })
}

// browserDownloads: a visitor's browser gets a publisher's file through
// the publisher's own WebTorrent tracker and seed.
func browserDownloads(t *testing.T, ns *netns, page *pageServer) {
	dir := t.TempDir()
	src := filepath.Join(dir, "pub", "for-browser.bin")
	want := randomFile(t, src, browserFileSize)
	pub, q := startPublishIn(t, ns, src, filepath.Join(dir, "pub-home"))
	// Without the web seed and .torrent URL the browser can only get the
	// file from a WebRTC peer: the publisher's seed.
	magnet := webrtcOnlyMagnet(t, q)
	startChromium(t, ns, page, url.Values{"page": {"download"}, "mode": {"download"}, "magnet": {magnet}})
	wire := page.waitEvent(t, "download", "a WebRTC wire", func(e pageEvent) bool { return e.Event == "wire" })
	done := page.waitEvent(t, "download", "download done", func(e pageEvent) bool { return e.Event == "done" })
	t.Logf("browser: %d MiB downloaded in %.1f s from its first wire (%.1f MiB/s), %.1f s after the page started",
		done.Length>>20, float64(done.MS-wire.MS)/1000, float64(done.Length)/(1<<20)/(float64(done.MS-wire.MS)/1000), float64(done.MS)/1000)
	if done.SHA256 != want || done.Length != browserFileSize {
		t.Fatalf("browser got %d bytes with sha256 %s, want %d bytes with %s", done.Length, done.SHA256, browserFileSize, want)
	}
	fromPublisher := false
	for _, w := range done.Wires {
		if w.Type != "webrtc" {
			t.Errorf("browser wire %s has type %q, want webrtc", w.Addr, w.Type)
		}
		// Publisher peer IDs start "-FP" (hex 2d4650).
		fromPublisher = fromPublisher || (strings.HasPrefix(w.PeerID, "2d4650") && w.Downloaded > 0)
	}
	if !fromPublisher {
		t.Errorf("no data from the publisher's peer in the browser's wires %+v", done.Wires)
	}
	served := waitJSON(pub, 10*time.Second, "publisher counting the upload", func(l publishLine) bool { return l.PeerBytes >= browserFileSize })
	if served.WebSeedBytes != 0 {
		t.Errorf("the web seed served %d bytes; the browser should have used WebRTC only", served.WebSeedBytes)
	}
}

// fairshareDownloads: Fairshare gets a file that only a browser seeds,
// through a tracker that serves any info hash.
func fairshareDownloads(t *testing.T, ns *netns, page *pageServer) {
	tracker := startTracker(t, ns)
	startChromium(t, ns, page, url.Values{"page": {"seed"}, "mode": {"seed"},
		"size": {fmt.Sprint(browserFileSize)}, "tracker": {tracker.url}})
	seeding := page.waitEvent(t, "seed", "browser seeding", func(e pageEvent) bool { return e.Event == "seeding" })
	t.Logf("browser seeds %s", seeding.Magnet)
	dir := t.TempDir()
	start := time.Now()
	get := ns.startCLI(t, "fairshare get", webrtcGetArgs(ns, seeding.Magnet, filepath.Join(dir, "home"), dir)...)
	get.logFiles = append(get.logFiles, filepath.Join(dir, "home", "fairshare.log"))
	final := waitJSON(get, webrtcDeadline, "final line", func(l rtcGetLine) bool { return l.Final })
	get.wait(10 * time.Second)
	took := time.Since(start)
	t.Logf("fairshare: %d MiB downloaded from the browser in %.1f s (%.1f MiB/s), magnet to verified file; first data reported at %.0f s",
		final.Done>>20, took.Seconds(), float64(final.Done)/(1<<20)/took.Seconds(), firstData(get))
	if !final.Complete {
		t.Fatalf("fairshare ended incomplete: %+v", final)
	}
	if got := fileSHA256(t, filepath.Join(dir, "from-browser.bin")); got != seeding.SHA256 {
		t.Fatalf("fairshare's file sha256 %s, the browser seeded %s", got, seeding.SHA256)
	}
	// The browser does not answer our ping. Its RTT is the ICE pair's
	// when pion's stats carry one for the connection, which they did not
	// in about one run in three (pion measures it from STUN checks, rare
	// while data flows); request latency stands in then.
	checkWebRTCPeers(t, get, "ice", "request")
	sent := page.waitEvent(t, "seed", "the browser counting its upload", func(e pageEvent) bool {
		return e.Event == "status" && e.Uploaded >= browserFileSize
	})
	t.Logf("browser: uploaded %d bytes", sent.Uploaded)
	if !reportedClient(get, "WebTorrent") {
		t.Errorf("fairshare never named a peer WebTorrent")
	}
	if st := tracker.srv.Stats(); st.OffersRelayed == 0 || st.AnswersRelayed == 0 || st.Dropped != 0 {
		t.Errorf("tracker stats %+v: want offers and answers relayed and nobody dropped", st)
	}
}

func reportedClient(p *proc, name string) bool {
	for _, line := range p.allLines() {
		var l rtcGetLine
		if decodeLine(line, &l) {
			for _, pe := range l.Peers {
				if strings.Contains(pe.Client, name) {
					return true
				}
			}
		}
	}
	return false
}

type testTracker struct {
	srv *wstracker.Server
	url string
}

// startTracker serves a WebTorrent tracker for any info hash on the
// host's end of the veth.
func startTracker(t *testing.T, ns *netns) *testTracker {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(ns.hostIP, "0"))
	if err != nil {
		t.Fatal(err)
	}
	srv := wstracker.New(wstracker.Options{Logger: slog.New(slog.NewTextHandler(testLog{t}, nil))})
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(l)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	return &testTracker{srv: srv, url: "ws://" + l.Addr().String()}
}

type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// pageEvent is one report of testdata/webtorrent.html.
type pageEvent struct {
	Page     string  `json:"page"`
	Event    string  `json:"event"`
	MS       int64   `json:"ms"`
	Error    string  `json:"error"`
	Magnet   string  `json:"magnet"`
	SHA256   string  `json:"sha256"`
	Length   int64   `json:"length"`
	Type     string  `json:"type"`
	Addr     string  `json:"addr"`
	Progress float64 `json:"progress"`
	Uploaded int64   `json:"uploaded"`
	Wires    []struct {
		Type       string `json:"type"`
		Addr       string `json:"addr"`
		PeerID     string `json:"peer_id"`
		Downloaded int64  `json:"downloaded"`
		Uploaded   int64  `json:"uploaded"`
	} `json:"wires"`
}

// pageServer serves the page and the WebTorrent bundle to Chromium and
// collects the page's reports.
type pageServer struct {
	origin string
	mu     sync.Mutex
	events []pageEvent
	next   map[string]int // per page: first event not consumed
	notify chan struct{}
}

func newPageServer(t *testing.T, ns *netns, bundle string) *pageServer {
	t.Helper()
	html, err := filepath.Abs(filepath.Join("testdata", "webtorrent.html"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", net.JoinHostPort(ns.hostIP, "0"))
	if err != nil {
		t.Fatal(err)
	}
	s := &pageServer{origin: "http://" + l.Addr().String(), next: map[string]int{}, notify: make(chan struct{}, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, html) })
	mux.HandleFunc("GET /webtorrent.min.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, bundle) })
	mux.HandleFunc("POST /report", func(w http.ResponseWriter, r *http.Request) {
		var e pageEvent
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&e); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.events = append(s.events, e)
		s.mu.Unlock()
		select {
		case s.notify <- struct{}{}:
		default:
		}
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(l)
	t.Cleanup(func() { hs.Close() })
	return s
}

// waitEvent returns the next event of page for which match is true. A
// page error fails the test at once; warnings are logged.
func (s *pageServer) waitEvent(t *testing.T, page, what string, match func(pageEvent) bool) pageEvent {
	t.Helper()
	timer := time.NewTimer(webrtcDeadline)
	defer timer.Stop()
	for {
		s.mu.Lock()
		for s.next[page] < len(s.events) {
			e := s.events[s.next[page]]
			s.next[page]++
			if e.Page != page {
				continue
			}
			switch {
			case e.Event == "error":
				s.mu.Unlock()
				t.Fatalf("page %s: %s", page, e.Error)
			case e.Event == "warning":
				t.Logf("page %s warning: %s", page, e.Error)
			case match(e):
				s.mu.Unlock()
				return e
			}
		}
		last := s.lastStatus(page)
		s.mu.Unlock()
		select {
		case <-s.notify:
		case <-timer.C:
			t.Fatalf("page %s: no %s within %s; last status %+v", page, what, webrtcDeadline, last)
		}
	}
}

// lastStatus is the page's latest status event; callers hold s.mu.
func (s *pageServer) lastStatus(page string) pageEvent {
	for i := len(s.events) - 1; i >= 0; i-- {
		if e := s.events[i]; e.Page == page && e.Event == "status" {
			return e
		}
	}
	return pageEvent{}
}

// startChromium opens the page with query in headless Chromium inside ns,
// with a fresh profile, and kills its whole process group at the end.
func startChromium(t *testing.T, ns *netns, page *pageServer, query url.Values) {
	t.Helper()
	cmd := ns.command("chromium",
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(),
		// Host candidates as IP addresses, not mDNS names pion cannot resolve here.
		"--disable-features=WebRtcHideLocalIpsWithMdns",
		// crypto.subtle needs a secure context; the page is not on localhost.
		"--unsafely-treat-insecure-origin-as-secure="+page.origin,
		page.origin+"/?"+query.Encode())
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		select {
		case err := <-exited:
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Errorf("chromium: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("chromium (pid %d) did not exit after SIGKILL", cmd.Process.Pid)
		}
		if t.Failed() {
			t.Logf("chromium output without D-Bus complaints (last 4 KiB):\n%s", tail(withoutDBus(out.String()), 4096))
		}
	})
	t.Logf("chromium: started pid %d for %s", cmd.Process.Pid, query.Get("mode"))
}

// withoutDBus drops the lines headless Chromium prints for every D-Bus
// service it cannot reach, which are all of them here.
func withoutDBus(s string) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// firstData is the "seconds" of p's first status line with data.
func firstData(p *proc) float64 {
	for _, line := range p.allLines() {
		var l rtcGetLine
		if decodeLine(line, &l) && l.Done > 0 {
			return l.Seconds
		}
	}
	return -1
}
