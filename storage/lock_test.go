package storage

import (
	"errors"
	"os"
	"testing"
	"time"
)

// assertAlreadyRunning checks the error a second opener gets, and that it
// came within the 1 s lock timeout plus slack instead of hanging.
func assertAlreadyRunning(t *testing.T, err error, path string, elapsed time.Duration) {
	t.Helper()
	if !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second Open = %v, want ErrAlreadyRunning", err)
	}
	want := "Fairshare is already running (state " + path + " is locked by another process)"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
	if elapsed > 2*time.Second {
		t.Errorf("second Open took %v, want under 2s", elapsed)
	}
}

func TestSecondOpenInProcessFailsFast(t *testing.T) {
	db, home := openTemp(t)
	start := time.Now()
	second, err := Open(home)
	if err == nil {
		second.Close()
	}
	assertAlreadyRunning(t, err, db.Path(), time.Since(start))
	assertNotCorrupt(t, err)
	if aside := asideFiles(t, home); len(aside) != 0 {
		t.Errorf("locked file moved aside: %v", aside)
	}

	// Once the first closes, the lock is free.
	mustClose(t, db)
	mustClose(t, mustOpen(t, home))
}

func TestLockHeldByOtherProcess(t *testing.T) {
	home := t.TempDir()
	holder := startChild(t, os.Args[0], "hold", home, nil)
	if holder.result.Err != "" {
		t.Fatalf("helper could not open: %s", holder.result.Err)
	}

	start := time.Now()
	db, err := Open(home)
	if err == nil {
		db.Close()
	}
	assertAlreadyRunning(t, err, home+string(os.PathSeparator)+FileName, time.Since(start))

	holder.stop() // its exit releases the flock
	mustClose(t, mustOpen(t, home))
}

func TestOtherProcessSeesOurLock(t *testing.T) {
	db, home := openTemp(t)
	other := startChild(t, os.Args[0], "open", home, nil)
	res := other.result
	if !res.AlreadyRunning || res.Corrupt {
		t.Fatalf("other process got %+v, want already running", res)
	}
	want := "Fairshare is already running (state " + db.Path() + " is locked by another process)"
	if res.Err != want {
		t.Errorf("other process message = %q, want %q", res.Err, want)
	}
	if res.Elapsed > 2*time.Second {
		t.Errorf("other process waited %v, want under 2s", res.Elapsed)
	}
}

// A Set is committed when it returns: a process killed right after it, without
// Close, leaves the state for the next start (and its lock released).
func TestSetSurvivesKilledProcess(t *testing.T) {
	home := t.TempDir()
	c := startChild(t, os.Args[0], "set-piece", home, nil)
	if c.result.Err != "" {
		t.Fatalf("helper: %s", c.result.Err)
	}
	c.kill(t)
	db := mustOpen(t, home)
	defer mustClose(t, db)
	if s := get(t, db.PieceCompletion(), hashN(1), 7); s != "1" {
		t.Errorf("piece after kill = %s, want complete", s)
	}
}
