package cli_test

// End-to-end harness: every CLI invocation is a real child process of this
// test binary (os.Args[0]) that runs cli.Run, so the tests see exit codes,
// stdout, stderr, signals and file locks exactly as a user would, and work
// under -race (the children are race-instrumented too).

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fairshare/engine/cli"
	"fairshare/storage"
)

const (
	childEnv = "FAIRSHARE_CLI_CHILD" // "1" in a child
	argsEnv  = "FAIRSHARE_CLI_ARGS"  // the CLI arguments, as a JSON array
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		var args []string
		if err := json.Unmarshal([]byte(os.Getenv(argsEnv)), &args); err != nil {
			fmt.Fprintf(os.Stderr, "harness: bad %s: %v\n", argsEnv, err)
			os.Exit(97)
		}
		os.Exit(cli.Run(args, "test", os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// proc is one running CLI child.
type proc struct {
	t     testing.TB
	args  []string
	cmd   *exec.Cmd
	start time.Time

	mu      sync.Mutex
	lines   []string // stdout, one entry per line, without "\n"
	stderr  bytes.Buffer
	changed chan struct{} // closed and replaced on every new line and at exit
	exited  bool
	code    int
	ended   time.Time
	done    chan struct{}
}

// startCLI starts `fairshare args...` as a child process. It is killed and
// reaped when the test ends, whatever happens.
func startCLI(t testing.TB, args ...string) *proc {
	t.Helper()
	rawArgs, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	// A private HOME and FAIRSHARE_HOME: a command that forgot --home or
	// --dir writes into the test's temp dir, never the real user's folders.
	scratch := t.TempDir()
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, k := range []string{"FAIRSHARE_HOME=", "HOME=", "XDG_CONFIG_HOME=", childEnv + "=", argsEnv + "="} {
			if strings.HasPrefix(kv, k) {
				return true
			}
		}
		return false
	})
	env = append(env,
		childEnv+"=1",
		argsEnv+"="+string(rawArgs),
		"HOME="+scratch,
		"XDG_CONFIG_HOME="+filepath.Join(scratch, "config"),
		"FAIRSHARE_HOME="+filepath.Join(scratch, "default-home"),
	)
	exe, err := os.Executable() // os.Args[0] may be relative to the test's cwd
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, args: args, changed: make(chan struct{}), done: make(chan struct{})}
	p.cmd = exec.Command(exe, "-test.run=^$")
	p.cmd.Env = env
	p.cmd.Dir = scratch // relative paths never land in the source tree
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", p, err)
	}
	var readers sync.WaitGroup
	readers.Add(2)
	go func() {
		defer readers.Done()
		r := bufio.NewReader(stdout)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				p.mu.Lock()
				p.lines = append(p.lines, strings.TrimSuffix(line, "\n"))
				p.notifyLocked()
				p.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		defer readers.Done()
		var buf [4096]byte
		for {
			n, err := stderr.Read(buf[:])
			if n > 0 {
				p.mu.Lock()
				p.stderr.Write(buf[:n])
				p.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		readers.Wait()
		err := p.cmd.Wait()
		code := 0
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			code = ee.ExitCode() // -1 when killed by a signal
		case err != nil:
			code = -2
		}
		p.mu.Lock()
		p.exited, p.code, p.ended = true, code, time.Now()
		p.notifyLocked()
		p.mu.Unlock()
		close(p.done)
	}()
	t.Cleanup(func() {
		if !p.hasExited() {
			_ = p.cmd.Process.Kill()
		}
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			t.Errorf("%s did not exit 15s after SIGKILL", p)
		}
		if s := p.Stderr(); strings.Contains(s, "WARNING: DATA RACE") {
			t.Errorf("data race in child %s:\n%s", p, s)
		}
	})
	return p
}

func (p *proc) String() string {
	return "fairshare " + strings.Join(p.args, " ")
}

func (p *proc) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *proc) hasExited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exited
}

// Lines is a copy of what the child printed on stdout so far.
func (p *proc) Lines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.lines)
}

// Stderr is what the child printed on stderr so far.
func (p *proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// dump describes the child and its output, for failure messages.
func (p *proc) dump() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := p.lines
	skipped := 0
	if len(lines) > 12 {
		skipped = len(lines) - 12
		lines = lines[skipped:]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", p)
	if p.exited {
		fmt.Fprintf(&b, "exit code %d after %s\n", p.code, p.ended.Sub(p.start).Round(time.Millisecond))
	} else {
		fmt.Fprintf(&b, "still running after %s\n", time.Since(p.start).Round(time.Millisecond))
	}
	fmt.Fprintf(&b, "stdout (%d lines, last %d shown):\n", len(p.lines), len(lines))
	for _, l := range lines {
		if len(l) > 600 {
			l = l[:600] + "…"
		}
		fmt.Fprintf(&b, "  %s\n", l)
	}
	fmt.Fprintf(&b, "stderr:\n%s", p.stderr.String())
	return b.String()
}

// waitLines blocks until cond holds for the stdout lines, and returns them.
// It fails the test when the deadline passes or the child exits first.
func (p *proc) waitLines(timeout time.Duration, what string, cond func(lines []string) bool) []string {
	p.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		lines, exited, changed := slices.Clone(p.lines), p.exited, p.changed
		p.mu.Unlock()
		if cond(lines) {
			return lines
		}
		if exited {
			p.t.Fatalf("waiting for %s: the child exited first\n%s", what, p.dump())
		}
		select {
		case <-changed:
		case <-deadline.C:
			p.t.Fatalf("waiting for %s: nothing after %s\n%s", what, timeout, p.dump())
		}
	}
}

// wait waits for the child to exit and returns its exit code.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("%s did not exit within %s\n%s", p, timeout, p.dump())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.code
}

// elapsed is how long the child ran (so far).
func (p *proc) elapsed() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exited {
		return p.ended.Sub(p.start)
	}
	return time.Since(p.start)
}

// kill sends SIGKILL and waits until the child is reaped.
func (p *proc) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Kill(); err != nil && !p.hasExited() {
		p.t.Fatalf("killing %s: %v", p, err)
	}
	p.wait(15 * time.Second)
}

// result is a finished child.
type result struct {
	p      *proc
	code   int
	lines  []string
	stderr string
}

// runCLI runs a command to completion (bounded by timeout).
func runCLI(t testing.TB, timeout time.Duration, args ...string) result {
	t.Helper()
	p := startCLI(t, args...)
	code := p.wait(timeout)
	return result{p: p, code: code, lines: p.Lines(), stderr: p.Stderr()}
}

// getStatus is the part of `get --json` output the tests read.
type getStatus struct {
	Time            time.Time `json:"time"`
	InfoHash        string    `json:"info_hash"`
	Name            string    `json:"name"`
	State           string    `json:"state"`
	Error           string    `json:"error"`
	Size            int64     `json:"size"`
	Done            int64     `json:"done"`
	BytesDownloaded int64     `json:"bytes_downloaded"`
	BytesUploaded   int64     `json:"bytes_uploaded"`
	Seconds         float64   `json:"seconds"`
	Complete        bool      `json:"complete"`
	Final           bool      `json:"final"`
	Peers           []struct {
		Addr       string  `json:"addr"`
		Network    string  `json:"network"`
		Downloaded int64   `json:"downloaded"`
		RTTMs      float64 `json:"rtt_ms"`
		RTTVarMs   float64 `json:"rtt_var_ms"`
		RTTSource  string  `json:"rtt_source"`
	} `json:"peers"`
}

// publishStatus is the part of `publish --json` output the tests read.
type publishStatus struct {
	Time         time.Time `json:"time"`
	InfoHash     string    `json:"info_hash"`
	State        string    `json:"state"`
	Size         int64     `json:"size"`
	Done         int64     `json:"done"`
	PeerBytes    int64     `json:"bytes_uploaded_to_peers"`
	WebSeedBytes int64     `json:"bytes_served_by_webseed"`
	SourceBytes  int64     `json:"bytes_served"`
	Magnet       string    `json:"magnet"`
	Peers        int       `json:"peers_connected"`
	Seeders      int       `json:"tracker_seeders"`
	Leechers     int       `json:"tracker_leechers"`
	Mode         string    `json:"mode"`
	MaxDirect    int       `json:"max_direct"`
	Direct       int       `json:"direct_clients"`
	DirectPeak   int       `json:"direct_peak"`
	Granted      int       `json:"direct_granted"`
	Refused      int       `json:"direct_refused"`
	Delivered    int64     `json:"bytes_delivered"`
	Offload      float64   `json:"offload"`
	Active       bool      `json:"active_source"`
	Offers       int64     `json:"offers"`
}

// decodeLines decodes JSON lines into T; every line must be valid JSON.
func decodeLines[T any](t testing.TB, lines []string) []T {
	t.Helper()
	out := make([]T, 0, len(lines))
	for i, l := range lines {
		var v T
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("stdout line %d is not a JSON status: %v\n%s", i+1, err, l)
		}
		out = append(out, v)
	}
	return out
}

// finalStatus checks that a get's last line is its final JSON status.
func finalStatus(t testing.TB, r result) getStatus {
	t.Helper()
	if len(r.lines) == 0 {
		t.Fatalf("no JSON output\n%s", r.p.dump())
	}
	sts := decodeLines[getStatus](t, r.lines)
	last := sts[len(sts)-1]
	if !last.Final {
		t.Fatalf("last stdout line is not final:true\n%s", r.p.dump())
	}
	return last
}

// publication is a running `publish --json` child.
type publication struct {
	*proc
	magnet string
	home   string
}

// startPublish publishes path from a fresh home on loopback and returns
// once the magnet is printed. Its WebTorrent tracker is off: WebRTC peers
// meet over the host's non-loopback address, which these tests must not
// use (engine/interop tests WebRTC inside network namespaces).
func startPublish(t testing.TB, path string, extra ...string) *publication {
	t.Helper()
	home := filepath.Join(t.TempDir(), "publisher-home")
	args := append([]string{"publish", path, "--home", home, "--listen", "127.0.0.1:0",
		"--tracker-addr", "127.0.0.1:0", "--ws-tracker-addr", "off", "--json"}, extra...)
	p := startCLI(t, args...)
	lines := p.waitLines(60*time.Second, "the magnet link", func(l []string) bool { return len(l) >= 1 })
	if !strings.HasPrefix(lines[0], "magnet:?") {
		t.Fatalf("first line of publish is not a magnet link\n%s", p.dump())
	}
	return &publication{proc: p, magnet: lines[0], home: home}
}

// statusAfter waits for the first status line stamped after at.
func (p *publication) statusAfter(at time.Time, timeout time.Duration) publishStatus {
	p.t.Helper()
	var found publishStatus
	p.waitLines(timeout, "a publish status after "+at.Format(time.StampMilli), func(lines []string) bool {
		if len(lines) < 2 {
			return false
		}
		for _, st := range decodeLines[publishStatus](p.t, lines[1:]) {
			if st.Time.After(at) {
				found = st
				return true
			}
		}
		return false
	})
	return found
}

// waitSeeding waits until the publisher has verified its own content, so
// its seeding peer serves from the start.
func (p *publication) waitSeeding(timeout time.Duration) publishStatus {
	p.t.Helper()
	var found publishStatus
	p.waitLines(timeout, "the publisher seeding", func(lines []string) bool {
		if len(lines) < 2 {
			return false
		}
		st := decodeLines[publishStatus](p.t, lines[len(lines)-1:])[0]
		found = st
		return st.State == "seeding"
	})
	return found
}

// writeRandomFile writes size bytes from a ChaCha8 stream seeded by seed.
func writeRandomFile(t testing.TB, path string, size int64, seed uint64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var key [32]byte
	for i := range 4 {
		key[i*8] = byte(seed >> (8 * i))
		key[i*8+1] = byte(i)
	}
	key[31] = byte(seed >> 32)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.NewChaCha8(key), size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func sha256File(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("hashing: %v", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// treeHashes maps every regular file below root (slash-separated relative
// path) to its sha256; root may be a single file, mapped from ".".
func treeHashes(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			out[filepath.ToSlash(rel)] = sha256File(t, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", root, err)
	}
	return out
}

// assertSameTree checks that got has exactly the files of want, byte for
// byte (by sha256).
func assertSameTree(t testing.TB, want, got string) {
	t.Helper()
	w, g := treeHashes(t, want), treeHashes(t, got)
	if len(w) == 0 {
		t.Fatalf("no files in %s", want)
	}
	for rel, h := range w {
		switch gh, ok := g[rel]; {
		case !ok:
			t.Errorf("%s: missing from the download %s", rel, got)
		case gh != h:
			t.Errorf("%s: sha256 %s, want %s", rel, gh, h)
		}
	}
	for rel := range g {
		if _, ok := w[rel]; !ok {
			t.Errorf("%s: in the download %s but not in the source", rel, got)
		}
	}
}

// stateDump describes everything a home's state file holds that a command
// could change: torrent records, metadata, piece completion, settings. It
// must only be called while no child holds the home.
func stateDump(t testing.TB, home string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(home, storage.FileName)); err != nil {
		return "no state file: " + err.Error()
	}
	db, err := storage.Open(home)
	if err != nil {
		t.Fatalf("opening the state in %s: %v", home, err)
	}
	defer db.Close()
	ts, err := db.Torrents()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tr := range ts {
		raw, _ := json.Marshal(tr)
		info, err := db.InfoBytes(tr.InfoHash)
		if err != nil {
			t.Fatal(err)
		}
		complete, incomplete, err := db.PieceCompletion().Counts(tr.InfoHash)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(info)
		fmt.Fprintf(&b, "torrent %s\n  info %d bytes sha256 %x\n  pieces complete=%d incomplete=%d\n",
			raw, len(info), sum[:8], complete, incomplete)
	}
	set, ok, err := db.Setting("settings")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "settings %v %s\n", ok, set)
	return b.String()
}

// assertOneErrorLine checks the CLI's error contract: a non-zero exit and
// exactly one stderr line, "fairshare: ...". It returns the message.
func assertOneErrorLine(t testing.TB, r result) string {
	t.Helper()
	if r.code == 0 {
		t.Errorf("exit code 0, want a failure\n%s", r.p.dump())
	}
	if !strings.HasPrefix(r.stderr, "fairshare: ") || !strings.HasSuffix(r.stderr, "\n") ||
		strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr must be exactly one line starting \"fairshare: \", got %q\n%s", r.stderr, r.p.dump())
	}
	return strings.TrimSpace(r.stderr)
}
