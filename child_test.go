package main

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// child is a process the test started and stops at cleanup.
type child struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when it has exited
}

// startChild starts cmd and stops it when the test ends: an interrupt
// first (the app and publish shut down cleanly on it), a kill after grace.
func startChild(t *testing.T, cmd *exec.Cmd, grace time.Duration) *child {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() { c.stop(grace) })
	return c
}

func (c *child) running() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

func (c *child) stop(grace time.Duration) {
	if !c.running() {
		return
	}
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.done:
	case <-time.After(grace):
		c.cmd.Process.Kill()
		<-c.done
	}
}
