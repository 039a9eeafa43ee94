package storage

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	g "github.com/anacrolix/generics"
)

// Tests that need a second process re-run this test binary with childModeEnv
// set; TestChildProcess then plays the other Fairshare instance.
const (
	childModeEnv = "FAIRSHARE_STORAGE_TEST_CHILD"
	childHomeEnv = "FAIRSHARE_STORAGE_TEST_HOME"
	childPrefix  = "child-result: "
)

// childResult is what a child reports about its Open.
type childResult struct {
	Err            string
	AlreadyRunning bool
	Corrupt        bool
	Elapsed        time.Duration
}

func TestChildProcess(t *testing.T) {
	mode := os.Getenv(childModeEnv)
	if mode == "" {
		t.Skip("helper: runs only as the second process of other tests")
	}
	home := os.Getenv(childHomeEnv)
	start := time.Now()
	db, err := Open(home)
	res := childResult{Elapsed: time.Since(start)}
	if err == nil && mode == "set-piece" {
		err = db.PieceCompletion().Set(pieceKey(t, hashN(1), 7), g.Some(true))
	}
	if err != nil {
		var ce *CorruptError
		res.Err = err.Error()
		res.AlreadyRunning = errors.Is(err, ErrAlreadyRunning)
		res.Corrupt = errors.As(err, &ce)
	}
	line, _ := json.Marshal(res)
	fmt.Printf("%s%s\n", childPrefix, line)
	if mode != "open" && db != nil {
		// Keep the lock until the parent closes our stdin.
		_, _ = io.Copy(io.Discard, os.Stdin)
	}
	if db != nil {
		_ = db.Close()
	}
	os.Exit(0)
}

// child is a running helper process.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	result childResult
}

// startChild runs the test binary (exe) as a helper in mode on home and waits
// for its Open result.
func startChild(t *testing.T, exe, mode, home string, configure func(*exec.Cmd)) *child {
	t.Helper()
	cmd := exec.Command(exe, "-test.run=^TestChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childModeEnv+"="+mode, childHomeEnv+"="+home)
	cmd.Stderr = os.Stderr
	if configure != nil {
		configure(cmd)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stdin: stdin}
	t.Cleanup(c.stop)
	got := make(chan childResult, 1)
	go readChildResult(stdout, got)
	select {
	case c.result = <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("helper process did not report its Open result")
	}
	return c
}

func readChildResult(stdout io.Reader, got chan<- childResult) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), childPrefix); ok {
			var res childResult
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				res.Err = "bad report: " + err.Error()
			}
			got <- res
			break
		}
	}
	_, _ = io.Copy(io.Discard, stdout)
}

// kill ends the helper abruptly, as a crash or power cut would, without Close.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.stop()
}

// stop lets the helper close its DB and exit, and waits for it.
func (c *child) stop() {
	if c.stdin != nil {
		_ = c.stdin.Close()
		c.stdin = nil
		_ = c.cmd.Wait()
	}
}
