package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// lockTimeout bounds how long a second instance waits for the lock: long enough
// to ride out a previous instance that is just exiting, short enough that the
// user gets "already running" instead of a hang.
const lockTimeout = time.Second

// openBolt opens path with bbolt and sorts failures into "already running",
// "can't get at the file" (left alone) and *damage (to be moved aside).
// Read-only opens take a shared lock, which a running instance's exclusive
// lock still excludes.
func openBolt(path string, readOnly bool) (bdb *bbolt.DB, err error) {
	_, statErr := os.Lstat(path)
	existed := statErr == nil
	var file *os.File
	opts := &bbolt.Options{
		Timeout:  lockTimeout,
		ReadOnly: readOnly,
		// Keep our own handle so a panic inside bbolt.Open, which loses bbolt's,
		// doesn't leave the descriptor open.
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			file = f
			return f, err
		},
	}
	defer func() {
		if r := recover(); r != nil {
			if file != nil {
				_ = file.Close()
			}
			bdb, err = nil, damagef("reading it crashed: %v", r)
		}
	}()
	// bbolt reads the file through mmap; damaged page pointers can fault, and
	// only this turns such a fault into a recoverable panic.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	bdb, err = bbolt.Open(path, 0o600, opts)
	if err != nil {
		return nil, classifyOpenErr(path, existed, err)
	}
	return bdb, nil
}

func classifyOpenErr(path string, existed bool, err error) error {
	if errors.Is(err, berrors.ErrTimeout) {
		return alreadyRunning(path)
	}
	if !existed {
		dir := filepath.Dir(path)
		return fmt.Errorf("cannot create state file in folder %s: %w; make the folder writable or set %s to another folder", dir, err, homeEnv)
	}
	// OS-level failures (permissions, read-only disk, no flock support, out of
	// memory for the mapping) say nothing about the file's contents, so moving
	// the file aside would only lose the user's state.
	var pathErr *fs.PathError
	var errno syscall.Errno
	if errors.As(err, &pathErr) || errors.As(err, &errno) {
		return fmt.Errorf("cannot open state file %s: %w; make sure your user can read and write it, or set %s to another folder", path, err, homeEnv)
	}
	return &damage{err}
}

// setAside moves a damaged state file out of the way so the next start begins
// fresh, keeping the bytes for rescue.
func setAside(path string, cause error) error {
	dest, err := moveAside(path, time.Now())
	if err != nil {
		return &CorruptError{Path: path, Err: cause, MoveErr: err}
	}
	return &CorruptError{Path: path, MovedTo: dest, Err: cause}
}

// moveAside renames path to path.corrupt-<UTC time>, adding a counter rather
// than replacing an earlier corrupt copy.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
	dest := base
	for n := 1; ; n++ {
		_, err := os.Lstat(dest)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return "", err
		}
		dest = fmt.Sprintf("%s-%d", base, n)
	}
	// os.Rename would silently replace a file created since the check; that
	// needs two damaged files in the same second and folder, so we accept it.
	if err := os.Rename(path, dest); err != nil {
		return "", err
	}
	return dest, nil
}
