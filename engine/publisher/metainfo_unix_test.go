//go:build unix

package publisher

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestBuildRefusesSpecialFiles(t *testing.T) {
	root := makeTree(t)
	fifo := filepath.Join(root, "sub dir", "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	_, err := Build(root, BuildOptions{})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), "pipe") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Build(fifo, BuildOptions{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("building the FIFO itself: err = %v", err)
	}
}
