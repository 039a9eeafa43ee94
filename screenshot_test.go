package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fairshare/engine"
	"fairshare/storage"
)

// screenshotPath is where CI picks up the screenshot as an artifact.
const screenshotPath = "artifacts/screenshot-peers.png"

// idleRSSLimit is the memory target for the running app (see
// memory.softGL for what it leaves out).
const idleRSSLimit = 150 << 20

// TestScreenshotPeers runs the real desktop binary under Xvfb against a
// publisher on loopback: the app is launched with the magnet as its
// argument, selects the new torrent (whose Peers tab opens first), and the
// test waits until the publisher sees the app connected, takes a PNG of
// the screen, checks it is a drawn window rather than a blank one, and
// checks the app's resident memory.
func TestScreenshotPeers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb, a publisher and the desktop app")
	}
	requireX(t)
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	pub := startPublisher(t, bin, 48<<20)
	display := startXvfb(t, 1280, 800)
	home := newAppHome(t)
	app := startApp(t, bin, display, home, pub.magnet)
	// The publisher's own peer count includes its web seed, and its own
	// first announce counts as a leecher, so neither proves the app is
	// there; bytes served to the app (the only downloader) do.
	pub.waitFor(t, "download by the app", 30*time.Second, func(st publishStatus) bool { return st.Served > 0 })
	// Two of the app's one-second refreshes, so the table shows the peers.
	time.Sleep(2500 * time.Millisecond)
	if !app.running() {
		t.Fatalf("the app exited: %v", app.cmd.ProcessState)
	}

	shot, err := captureScreen(ctx, display)
	if err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, shot)
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if err := checkDrawn(img); err != nil {
		t.Fatalf("screenshot %s looks blank: %v", screenshotPath, err)
	}

	mem, err := readMemory(app.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("app memory with one downloading torrent: VmRSS %.1f MiB, of which %.1f MiB are the software GL driver's code (llvmpipe)",
		mib(mem.resident), mib(mem.softGL))
	if own := mem.resident - mem.softGL; own > idleRSSLimit {
		t.Errorf("app uses %.1f MiB resident besides the GL driver, want < %d MiB", mib(own), idleRSSLimit>>20)
	}

	checkResumes(t, bin, display, home, app, pub)
}

// checkResumes quits the app, finds its torrent in the state file, and
// relaunches it with no arguments: the publisher must serve it again.
func checkResumes(t *testing.T, bin, display string, home appHome, app *child, pub *publisher) {
	t.Helper()
	app.stop(15 * time.Second)
	if st := app.cmd.ProcessState; st == nil || !st.Success() {
		t.Fatalf("the app did not quit cleanly on an interrupt: %v", st)
	}
	ih := magnetHash(t, pub.magnet)
	rec := storedTorrent(t, home.fairshare, ih)
	if rec.Paused || rec.Downloaded <= 0 {
		t.Fatalf("stored torrent after quitting: paused=%v downloaded=%d, want running with bytes", rec.Paused, rec.Downloaded)
	}
	served := pub.settled(t).Served
	startApp(t, bin, display, home)
	pub.waitFor(t, "download after the relaunch", 30*time.Second, func(st publishStatus) bool { return st.Served > served })
}

// magnetHash is the info hash of a magnet link.
func magnetHash(t *testing.T, magnet string) string {
	t.Helper()
	u, err := url.Parse(magnet)
	if err != nil {
		t.Fatal(err)
	}
	for _, xt := range u.Query()["xt"] {
		if h, ok := strings.CutPrefix(xt, "urn:btih:"); ok {
			return strings.ToLower(h)
		}
	}
	t.Fatalf("no info hash in %s", magnet)
	return ""
}

// storedTorrent reads one torrent's record from the state file.
func storedTorrent(t *testing.T, home, infoHash string) storage.Torrent {
	t.Helper()
	db, err := storage.Open(home)
	if err != nil {
		t.Fatalf("open the app's state file: %v", err)
	}
	defer db.Close()
	rec, ok, err := db.Torrent(infoHash)
	if err != nil || !ok {
		t.Fatalf("torrent %s not in the state file after quitting (err %v)", infoHash, err)
	}
	return rec
}

// buildBinary builds the app the way `make build` does.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fairshare")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "nosqlite,migrated_fynedo", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// appHome is a fresh user for the app: HOME (downloads, Fyne's
// preferences) and FAIRSHARE_HOME (state file, single-instance socket).
type appHome struct{ dir, fairshare string }

// newAppHome makes a home whose settings cap downloads, so the torrent is
// still downloading, with its peers connected, when the screenshot is
// taken.
func newAppHome(t *testing.T) appHome {
	t.Helper()
	dir := t.TempDir()
	h := appHome{dir: dir, fairshare: filepath.Join(dir, "fairshare-home")}
	seedSettings(t, h.fairshare, func(st *engine.Settings) {
		st.DownloadDir = filepath.Join(dir, "Downloads")
		st.ListenPort = 0 // any free port
		st.DownLimitKiB = 512
	})
	return h
}

// startApp launches the desktop app on display as the user of h.
func startApp(t *testing.T, bin, display string, h appHome, sources ...string) *child {
	t.Helper()
	cmd := exec.Command(bin, sources...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+h.dir, "FAIRSHARE_HOME="+h.fairshare,
		"LANG=en_US.UTF-8", "XDG_RUNTIME_DIR="+h.dir, "XDG_CONFIG_HOME="+filepath.Join(h.dir, ".config"),
		"DBUS_SESSION_BUS_ADDRESS=disabled:", "LIBGL_ALWAYS_SOFTWARE=1")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return startChild(t, cmd, 10*time.Second)
}

// seedSettings stores settings in home through the engine, as the settings
// dialog would.
func seedSettings(t *testing.T, home string, edit func(*engine.Settings)) {
	t.Helper()
	s, err := engine.Open(engine.Config{Home: home, ListenAddr: "127.0.0.1:0", NoAutoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	st := s.Settings()
	edit(&st)
	if err := s.SetSettings(st); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// keepArtifact writes the screenshot where CI collects it.
func keepArtifact(t *testing.T, png []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshotPath, png, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(screenshotPath)
	t.Logf("screenshot: %s", abs)
}

// checkDrawn tells a drawn window from a blank or single-colour screen: a
// window with text, icons and a table has many distinct colours (text is
// anti-aliased), no colour covering nearly everything, and real contrast.
func checkDrawn(img image.Image) error {
	b := img.Bounds()
	counts := map[uint32]int{}
	var sum, sumSq float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[r>>8<<16|g>>8<<8|bl>>8]++
			l := 0.299*float64(r>>8) + 0.587*float64(g>>8) + 0.114*float64(bl>>8)
			sum += l
			sumSq += l * l
		}
	}
	n := float64(b.Dx() * b.Dy())
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	stddev := math.Sqrt(max(0, sumSq/n-(sum/n)*(sum/n)))
	switch {
	case len(counts) < 64:
		return fmt.Errorf("only %d distinct colours", len(counts))
	case float64(top)/n > 0.9:
		return fmt.Errorf("one colour covers %.0f%% of the screen", 100*float64(top)/n)
	case stddev < 10:
		return fmt.Errorf("luminance spread %.1f is too flat", stddev)
	}
	return nil
}

// memory is a process's resident set, split the way the memory check
// needs it.
type memory struct {
	resident int64 // VmRSS
	// softGL is the resident part of Mesa's software rasterizer libraries
	// (libLLVM, swrast/llvmpipe): under Xvfb every GL app maps them, while
	// on a desktop the hardware driver takes their place, so the app's own
	// figure is measured without them.
	softGL int64
}

// readMemory sums the Rss lines of /proc/PID/smaps per mapped file.
func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return memory{}, fmt.Errorf("read the app's memory map: %w", err)
	}
	var m memory
	var path string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			path = "" // a mapping header: range perms offset dev inode [path]
			if len(f) >= 6 {
				path = f[5]
			}
		case len(f) == 3 && f[0] == "Rss:":
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return memory{}, fmt.Errorf("bad smaps line %q: %w", line, err)
			}
			m.resident += kb << 10
			if isSoftGL(path) {
				m.softGL += kb << 10
			}
		}
	}
	if m.resident == 0 {
		return memory{}, fmt.Errorf("no Rss lines in /proc/%d/smaps", pid)
	}
	return m, nil
}

func isSoftGL(path string) bool {
	base := filepath.Base(path)
	return strings.HasPrefix(base, "libLLVM") || strings.HasSuffix(base, "_dri.so") ||
		strings.HasPrefix(base, "libgallium")
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// checkDrawn must reject what a broken capture looks like: one flat
// colour, or a window that drew only its background and a frame.
func TestCheckDrawnRejectsBlank(t *testing.T) {
	flat := image.NewRGBA(image.Rect(0, 0, 400, 300))
	draw.Draw(flat, flat.Bounds(), image.NewUniform(color.RGBA{0x17, 0x17, 0x18, 0xff}), image.Point{}, draw.Src)
	if checkDrawn(flat) == nil {
		t.Error("a single-colour screen passed")
	}
	framed := image.NewRGBA(flat.Bounds())
	draw.Draw(framed, framed.Bounds(), image.NewUniform(color.Black), image.Point{}, draw.Src)
	draw.Draw(framed, image.Rect(0, 0, 360, 280), image.NewUniform(color.White), image.Point{}, draw.Src)
	if checkDrawn(framed) == nil {
		t.Error("an empty white window on a black screen passed")
	}
	noisy := image.NewRGBA(flat.Bounds())
	for i := range noisy.Pix {
		noisy.Pix[i] = byte(i * 7919 % 251)
	}
	if err := checkDrawn(noisy); err != nil {
		t.Errorf("a varied image was rejected: %v", err)
	}
}
