package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// xTools are the programs the screenshot test needs; packaging/linux/deps.sh
// installs them (xvfb, x11-apps, netpbm).
var xTools = []string{"Xvfb", "xwd", "xwdtopnm", "pnmtopng"}

// requireX skips when the X tools are missing on a developer's machine, and
// fails on CI, where deps.sh must have installed them.
func requireX(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range xTools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("missing %s: run packaging/linux/deps.sh", strings.Join(missing, ", "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// startXvfb starts a virtual screen and returns its DISPLAY. Xvfb picks a
// free display number itself (-displayfd), so parallel runs never collide.
func startXvfb(t *testing.T, width, height int) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0",
		fmt.Sprintf("%dx%dx24", width, height), "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	startChild(t, cmd, 3*time.Second)
	w.Close()

	num := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		num <- strings.TrimSpace(line)
	}()
	select {
	case n := <-num:
		if n == "" {
			t.Fatal("Xvfb exited without reporting its display")
		}
		return ":" + n
	case <-time.After(15 * time.Second):
		t.Fatal("Xvfb did not report its display within 15s")
	}
	return ""
}

// captureScreen takes a PNG of the whole screen. The window's own
// Canvas().Capture() is blank under Xvfb/GLX, so this reads the X server's
// framebuffer instead.
func captureScreen(ctx context.Context, display string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", "xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng 2>/dev/null")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("xwd | xwdtopnm | pnmtopng: %w: %s", err, stderr.String())
	}
	return out, nil
}
