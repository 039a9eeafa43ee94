//go:build unix

package storage

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Root ignores permission bits, so as root these tests open the file from a
// helper process running as nobody; otherwise they remove our own permissions.
const nobody = 65534

// openWithoutAccess opens home as a user lacking permission on target, which
// must be owned by root with no access for others when running as root.
func openWithoutAccess(t *testing.T, home, target string, mode os.FileMode) childResult {
	t.Helper()
	if os.Geteuid() != 0 {
		st, err := os.Stat(target)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(target, mode); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(target, st.Mode().Perm())
		db, err := Open(home)
		if err == nil {
			db.Close()
			return childResult{}
		}
		var ce *CorruptError
		return childResult{Err: err.Error(), Corrupt: errors.As(err, &ce)}
	}
	exe := copyTestBinary(t, filepath.Dir(home))
	c := startChild(t, exe, "open", home, func(cmd *exec.Cmd) {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		cmd.Dir = "/"
	})
	return c.result
}

// copyTestBinary puts the test binary where nobody can run it, opening up the
// temp folders on the way (they are created 0700).
func copyTestBinary(t *testing.T, dir string) string {
	t.Helper()
	for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	exe := filepath.Join(dir, "storage.test")
	dst, err := os.OpenFile(exe, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestUnreadableStateIsNotCorrupt(t *testing.T) {
	base := t.TempDir()
	home := filepath.Join(base, "home")
	db := mustOpen(t, home)
	path := db.Path()
	mustClose(t, db)
	if err := os.Chmod(home, 0o755); err != nil { // only the file is off limits
		t.Fatal(err)
	}
	before := readFile(t, path)

	res := openWithoutAccess(t, home, path, 0)
	if res.Err == "" {
		t.Fatal("Open without permission succeeded")
	}
	if res.Corrupt || res.AlreadyRunning {
		t.Errorf("unreadable file reported as %+v", res)
	}
	if !strings.Contains(res.Err, path) || !strings.Contains(res.Err, "permission denied") {
		t.Errorf("error should name %s and the cause: %s", path, res.Err)
	}
	if strings.Contains(res.Err, "\n") {
		t.Errorf("error spans several lines: %q", res.Err)
	}
	if string(readFile(t, path)) != string(before) {
		t.Error("unreadable file was changed")
	}
	if aside := asideFiles(t, home); len(aside) != 0 {
		t.Errorf("unreadable file moved aside: %v", aside)
	}
}

func TestUnwritableHomeIsReported(t *testing.T) {
	base := t.TempDir()
	home := filepath.Join(base, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	res := openWithoutAccess(t, home, home, 0o500)
	if res.Err == "" {
		t.Fatal("Open in an unwritable folder succeeded")
	}
	if res.Corrupt || res.AlreadyRunning {
		t.Errorf("unwritable folder reported as %+v", res)
	}
	want := "cannot create state file in folder " + home + ":"
	if !strings.HasPrefix(res.Err, want) || !strings.Contains(res.Err, "permission denied") {
		t.Errorf("error = %q, want it to start with %q and give the cause", res.Err, want)
	}
	if strings.Contains(res.Err, "\n") {
		t.Errorf("error spans several lines: %q", res.Err)
	}
}
