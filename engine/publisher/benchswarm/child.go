package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is one fairshare CLI process; onLine sees each stdout line.
type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

// startChild runs `fairshare args...` with HOME and FAIRSHARE_HOME inside
// dir, so nothing touches the user's real state; stderr goes to dir.
func startChild(name, dir string, args []string, onLine func(string)) (*child, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	stderr, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childEnv+"=1", argsEnv+"="+string(raw),
		"HOME="+dir, "FAIRSHARE_HOME="+filepath.Join(dir, "default-home"))
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, done: make(chan struct{})}
	log, err := os.Create(filepath.Join(dir, "stdout.log"))
	if err != nil {
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			fmt.Fprintln(log, time.Now().Format("15:04:05.000"), sc.Text())
			onLine(sc.Text())
		}
		cmd.Wait()
		log.Close()
		stderr.Close()
		close(c.done)
	}()
	return c, nil
}

// stop interrupts the child and kills it if it does not exit in 10 s.
func (c *child) stop() {
	c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
}

// publisher is a running `publish` with its magnet and latest status.
type publisher struct {
	*child
	mu     sync.Mutex
	magnet string
	last   publishStatus
	// superSeeded: some status said active_source, which can end later.
	superSeeded bool
	ready       chan struct{} // closed when seeding
	once        sync.Once
}

type publishStatus struct {
	State       string  `json:"state"`
	SourceBytes int64   `json:"bytes_served"`
	PeerBytes   int64   `json:"bytes_uploaded_to_peers"`
	WebSeed     int64   `json:"bytes_served_by_webseed"`
	Delivered   int64   `json:"bytes_delivered"`
	Offload     float64 `json:"offload"`
	Mode        string  `json:"mode"`
	MaxDirect   int     `json:"max_direct"`
	Peak        int     `json:"direct_peak"`
	Granted     int     `json:"direct_granted"`
	Refused     int     `json:"direct_refused"`
	Active      bool    `json:"active_source"` // super-seeding now
	Offers      int64   `json:"offers"`        // pieces offered so far
}

func startPublisher(dir, path string, upKiB int64, extra []string) (*publisher, error) {
	p := &publisher{ready: make(chan struct{})}
	args := append([]string{"publish", path, "--home", filepath.Join(dir, "home"), "--listen", "127.0.0.1:0",
		"--tracker-addr", "127.0.0.1:0", "--ws-tracker-addr", "off", "--up-limit", fmt.Sprint(upKiB), "--json"}, extra...)
	c, err := startChild("publish", dir, args, p.line)
	if err != nil {
		return nil, err
	}
	p.child = c
	select {
	case <-p.ready:
		return p, nil
	case <-c.done:
		// The folder may be gone by the time anyone looks (no -keep), so
		// the error carries the reason, e.g. a flag publish does not know.
		return nil, fmt.Errorf("publish exited early: %s", lastLines(filepath.Join(dir, "stderr.log"), 3))
	case <-time.After(3 * time.Minute):
		c.stop()
		return nil, fmt.Errorf("publish did not start seeding within 3 min")
	}
}

// lastLines is the end of a log file, for error messages.
func lastLines(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], " / ")
}

func (p *publisher) line(l string) {
	if strings.HasPrefix(l, "magnet:") {
		p.mu.Lock()
		p.magnet = l
		p.mu.Unlock()
		return
	}
	var st publishStatus
	if json.Unmarshal([]byte(l), &st) != nil {
		return
	}
	p.mu.Lock()
	p.last = st
	p.superSeeded = p.superSeeded || st.Active
	p.mu.Unlock()
	if st.State == "seeding" {
		p.once.Do(func() { close(p.ready) })
	}
}

func (p *publisher) status() publishStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// superSeeding reports whether the publisher ever said it super-seeds.
func (p *publisher) superSeeding() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.superSeeded
}

func (p *publisher) magnetLink() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.magnet
}
