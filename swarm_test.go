package main

import (
	"bufio"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// publisher is a running `fairshare publish --json` on loopback.
type publisher struct {
	magnet string

	mu     sync.Mutex
	status publishStatus // the latest status line
	seen   chan struct{} // closed and replaced on every status line
}

// publishStatus is the part of publish's JSON status line the test reads.
type publishStatus struct {
	State string `json:"state"`
	// Served counts bytes sent by the publisher's peer and its web seed.
	Served int64 `json:"bytes_served"`
}

// startPublisher publishes a fresh random file of size bytes from bin and
// returns once the magnet link is printed.
func startPublisher(t *testing.T, bin string, size int64) *publisher {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "Fairshare test swarm.bin")
	writeRandomFile(t, path, size)
	cmd := exec.Command(bin, "publish", path, "--home", filepath.Join(dir, "home"),
		"--listen", "127.0.0.1:0", "--tracker-addr", "127.0.0.1:0", "--ws-tracker-addr", "off", "--json")
	cmd.Env = append(os.Environ(), "HOME="+dir)
	// A pipe of our own rather than StdoutPipe: Wait may then run while
	// the reader is still reading.
	stdout, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	c := startChild(t, cmd, 5*time.Second)
	go func() { <-c.done; w.Close() }()
	p := &publisher{seen: make(chan struct{})}
	first := make(chan string, 1)
	go p.read(stdout, first)
	select {
	case m := <-first:
		if !strings.HasPrefix(m, "magnet:?") {
			t.Fatalf("publish printed %q instead of a magnet link", m)
		}
		p.magnet = m
	case <-time.After(30 * time.Second):
		t.Fatal("publish printed no magnet link within 30s")
	}
	return p
}

// read hands the first line (the magnet) to first and keeps the latest
// status line.
func (p *publisher) read(r io.Reader, first chan<- string) {
	sc := bufio.NewScanner(r)
	for n := 0; sc.Scan(); n++ {
		if n == 0 {
			first <- sc.Text()
			continue
		}
		var st publishStatus
		if json.Unmarshal(sc.Bytes(), &st) != nil {
			continue
		}
		p.mu.Lock()
		p.status = st
		close(p.seen)
		p.seen = make(chan struct{})
		p.mu.Unlock()
	}
	close(first)
}

// settled waits until two status lines in a row report the same bytes
// served: a line reports the second before it, so right after the
// downloader stops a late line could still show growth.
func (p *publisher) settled(t *testing.T) publishStatus {
	t.Helper()
	var prev publishStatus
	first := true
	return p.waitFor(t, "bytes served to settle", 15*time.Second, func(st publishStatus) bool {
		done := !first && st.Served == prev.Served
		prev, first = st, false
		return done
	})
}

// waitFor waits until a status line satisfies ok.
func (p *publisher) waitFor(t *testing.T, what string, timeout time.Duration, ok func(publishStatus) bool) publishStatus {
	t.Helper()
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		st, seen := p.status, p.seen
		p.mu.Unlock()
		if ok(st) {
			return st
		}
		select {
		case <-seen:
		case <-deadline:
			t.Fatalf("publisher: no %s within %v (last status %+v)", what, timeout, st)
		}
	}
}

// writeRandomFile writes size pseudo-random bytes, so every run publishes a
// new info hash.
func writeRandomFile(t *testing.T, path string, size int64) {
	t.Helper()
	var seed [32]byte
	for i := range seed {
		seed[i] = byte(rand.Uint32())
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.CopyN(f, rand.NewChaCha8(seed), size); err != nil {
		t.Fatal(err)
	}
}
