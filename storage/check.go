package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"

	"go.etcd.io/bbolt"
)

// checkLimit caps the full page check at open: it reads every page, and beyond
// this size the delay at every start would outweigh the rare corruption it
// catches before it can crash a later transaction.
const checkLimit = 64 << 20

// inspect looks at an existing file read-only before it is opened for writing:
//   - a read-write open reads the freelist page right away, and in a truncated
//     file that page can lie past the end of the mapping, where bbolt would read
//     whatever memory happens to be there;
//   - a file from a newer Fairshare must not be written at all, and a
//     read-write open may already commit (and on Windows grows the file).
func inspect(path string) (err error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && info.Size() == 0) {
		return nil // bbolt initialises it
	}
	if err != nil {
		return fmt.Errorf("cannot open state file %s: %w; make sure your user can read it, or set %s to another folder", path, err, homeEnv)
	}
	if !info.Mode().IsRegular() {
		// Not ours to move: something else was put there.
		return fmt.Errorf("state file %s is not a regular file; move it away or set %s to another folder", path, homeEnv)
	}
	bdb, err := openBolt(path, true)
	if err != nil {
		return err
	}
	defer bdb.Close()
	defer recoverAsDamage(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return bdb.View(func(tx *bbolt.Tx) error {
		if info.Size() < tx.Size() {
			return damagef("file is truncated: %d bytes, its header says %d", info.Size(), tx.Size())
		}
		_, err := checkSchema(tx, path)
		return err
	})
}

// checkPages reads every page of a file under checkLimit. bbolt panics on some
// broken pages, so panics and memory faults count as damage too.
func checkPages(bdb *bbolt.DB) (err error) {
	defer recoverAsDamage(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	info, err := os.Stat(bdb.Path())
	if err != nil {
		return fmt.Errorf("checking state file %s: %w", bdb.Path(), err)
	}
	if info.Size() >= checkLimit {
		return nil
	}
	return bdb.View(func(tx *bbolt.Tx) error {
		// Walk every record in this goroutine first: tx.Check reads pages in a
		// goroutine of its own, where a fault can't be recovered.
		if err := walkAll(tx); err != nil {
			return err
		}
		return collectCheck(tx.Check())
	})
}

func recoverAsDamage(err *error) {
	if r := recover(); r != nil {
		*err = damagef("reading it crashed: %v", r)
	}
}

// walkAll visits every key of every bucket, which makes bbolt decode every
// reachable branch and leaf page.
func walkAll(tx *bbolt.Tx) error {
	return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error {
		return walkBucket(b)
	})
}

func walkBucket(b *bbolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v != nil {
			return nil
		}
		if child := b.Bucket(k); child != nil {
			return walkBucket(child)
		}
		return nil
	})
}

// collectCheck drains bbolt's report (it must be drained for its goroutine to
// finish) and condenses it to one error.
func collectCheck(problems <-chan error) error {
	var first error
	n := 0
	for p := range problems {
		if first == nil {
			first = p
		}
		n++
	}
	switch {
	case n == 0:
		return nil
	case n == 1:
		return damagef("consistency check: %v", first)
	case n == 2:
		return damagef("consistency check: %v (and 1 more problem)", first)
	default:
		return damagef("consistency check: %v (and %d more problems)", first, n-1)
	}
}
