package interop

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fairshare/engine/cli"
)

const (
	// childEnv and argsEnv make the test binary run the Fairshare CLI.
	childEnv = "FAIRSHARE_CLI_CHILD"
	argsEnv  = "FAIRSHARE_CLI_ARGS"
	// python is Debian's interpreter, which has python3-libtorrent; a
	// pyenv or venv python earlier on PATH would not.
	python = "/usr/bin/python3"
	// deadline bounds every wait in these tests.
	deadline = 60 * time.Second
)

// TestMain runs the Fairshare CLI when re-executed as a child, so the
// tests need no separately built binary.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		var args []string
		if err := json.Unmarshal([]byte(os.Getenv(argsEnv)), &args); err != nil {
			fmt.Fprintf(os.Stderr, "interop child: bad %s: %v\n", argsEnv, err)
			os.Exit(2)
		}
		os.Exit(cli.Run(args, "test", os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// probeLibtorrent imports the binding once per test binary: its version,
// or why it cannot be used.
var probeLibtorrent = sync.OnceValues(func() (string, error) {
	out, err := exec.Command(python, "-c", "import libtorrent; print(libtorrent.__version__)").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("libtorrent-rasterbar's Python binding is not usable with %s (%v: %s); "+
			"install it with: apt-get install python3-libtorrent", python, err, bytes.TrimSpace(out))
	}
	return strings.TrimSpace(string(out)), nil
})

// requireLibtorrent skips the test when python3-libtorrent is missing,
// unless CI=true, where it is installed and its absence is a failure.
func requireLibtorrent(t *testing.T) string {
	t.Helper()
	version, err := probeLibtorrent()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return version
}

// proc is a child process whose stdout is read line by line.
type proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd

	stderr syncBuffer
	stdin  io.WriteCloser

	mu     sync.Mutex
	lines  []string
	next   int           // first line not yet consumed by waitLine
	notify chan struct{} // signalled when a line arrives or stdout closes
	eof    bool

	exited chan struct{} // closed when the process has been waited for
	err    error         // Wait's result, valid once exited is closed

	logFiles []string // shown, like stderr, when the test fails
}

// startCLI runs the Fairshare CLI with args as a child of the test binary.
func startCLI(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	exe, env := cliChild(t, args)
	cmd := exec.Command(exe)
	cmd.Env = env
	return start(t, name, cmd)
}

// cliChild is the test binary and the environment that make it run as
// the Fairshare CLI with args (see TestMain).
func cliChild(t *testing.T, args []string) (exe string, env []string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	return exe, append(os.Environ(), childEnv+"=1", argsEnv+"="+string(js))
}

// startLT runs testdata/lt_peer.py with Debian's python.
func startLT(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "lt_peer.py"))
	if err != nil {
		t.Fatal(err)
	}
	return start(t, name, exec.Command(python, append([]string{script}, args...)...))
}

func start(t *testing.T, name string, cmd *exec.Cmd) *proc {
	t.Helper()
	p := &proc{t: t, name: name, cmd: cmd, notify: make(chan struct{}, 1), exited: make(chan struct{})}
	cmd.Stderr = &p.stderr
	dieWithParent(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	t.Logf("%s: started pid %d: %s", name, cmd.Process.Pid, strings.Join(cmd.Args, " "))
	go p.read(out)
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(p.stop)
	return p
}

func (p *proc) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		p.mu.Lock()
		p.lines = append(p.lines, sc.Text())
		p.mu.Unlock()
		p.signal()
	}
	io.Copy(io.Discard, r) // a line too long for the scanner: keep the child unblocked
	p.mu.Lock()
	p.eof = true
	p.mu.Unlock()
	p.signal()
}

func (p *proc) signal() {
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

// stop ends the child if it still runs (an interrupt, then a kill) and
// logs its stderr when the test failed. It runs in t.Cleanup.
func (p *proc) stop() {
	p.stdin.Close()
	select {
	case <-p.exited:
	default:
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.exited:
		case <-time.After(5 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
		}
	}
	if p.t.Failed() {
		p.t.Logf("%s stderr (last 4 KiB):\n%s", p.name, tail(p.stderr.String(), 4096))
		p.t.Logf("%s stdout (last 10 lines):\n%s", p.name, strings.Join(lastN(p.allLines(), 10), "\n"))
		for _, f := range p.logFiles {
			b, err := os.ReadFile(f)
			p.t.Logf("%s %s (last 8 KiB, %v):\n%s", p.name, f, err, tail(string(b), 8192))
		}
	}
}

// waitLine returns the first line not consumed yet for which match is
// true, consuming it and the lines before it. It fails the test when the
// timeout passes or the child's output ends first.
func (p *proc) waitLine(timeout time.Duration, what string, match func(string) bool) string {
	p.t.Helper()
	line, err := p.tryLine(timeout, match)
	if errors.Is(err, io.EOF) {
		p.t.Fatalf("%s: output ended before %s (exit: %v)", p.name, what, p.exitErr(5*time.Second))
	}
	if err != nil {
		p.t.Fatalf("%s: no %s within %s", p.name, what, timeout)
	}
	return line
}

var errTimeout = errors.New("timed out")

// tryLine is waitLine returning io.EOF or errTimeout instead of failing.
func (p *proc) tryLine(timeout time.Duration, match func(string) bool) (string, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		p.mu.Lock()
		for p.next < len(p.lines) {
			line := p.lines[p.next]
			p.next++
			if match(line) {
				p.mu.Unlock()
				return line, nil
			}
		}
		eof := p.eof
		p.mu.Unlock()
		if eof {
			return "", io.EOF
		}
		select {
		case <-p.notify:
		case <-timer.C:
			return "", errTimeout
		}
	}
}

// waitJSON is waitLine for JSON lines decoded into a T.
func waitJSON[T any](p *proc, timeout time.Duration, what string, match func(T) bool) T {
	p.t.Helper()
	var got T
	p.waitLine(timeout, what, func(line string) bool {
		var v T
		if json.Unmarshal([]byte(line), &v) != nil {
			return false
		}
		if match(v) {
			got = v
			return true
		}
		return false
	})
	return got
}

// wait waits for the child to exit and fails the test unless it exited 0.
func (p *proc) wait(timeout time.Duration) {
	p.t.Helper()
	if err := p.exitErr(timeout); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
}

func (p *proc) exitErr(timeout time.Duration) error {
	select {
	case <-p.exited:
		if p.err != nil {
			return fmt.Errorf("exited with %w; stderr: %s", p.err, tail(p.stderr.String(), 2048))
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("still running after %s", timeout)
	}
}

// interrupt asks the child to stop (SIGINT, as Ctrl-C would).
func (p *proc) interrupt() {
	p.cmd.Process.Signal(syscall.SIGINT)
}

func (p *proc) allLines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.lines...)
}

// runCLI runs a short CLI command to completion and returns its stdout.
func runCLI(t *testing.T, args ...string) []string {
	t.Helper()
	p := startCLI(t, "fairshare "+args[0], args...)
	p.wait(deadline)
	// The exit happened after the last write; let the reader catch up.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		p.mu.Lock()
		eof := p.eof
		p.mu.Unlock()
		if eof {
			return p.allLines()
		}
		select {
		case <-p.notify:
		case <-ctx.Done():
			t.Fatalf("%s: stdout not closed after exit", p.name)
		}
	}
}

// randomFile writes size random bytes to path and returns their SHA-256.
func randomFile(t *testing.T, path string, size int64) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(f, h), rand.Reader, size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// waitUntil polls cond every 50 ms until it holds or timeout passes.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("no %s within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func containsFold(names []string, sub string) bool {
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), strings.ToLower(sub)) {
			return true
		}
	}
	return false
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func lastN(lines []string, n int) []string {
	if len(lines) > n {
		return lines[len(lines)-n:]
	}
	return lines
}

// syncBuffer is a bytes.Buffer safe for the exec copier and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// decodeLine decodes a JSON line into v, reporting whether it was JSON.
func decodeLine(line string, v any) bool {
	return json.Unmarshal([]byte(line), v) == nil
}
