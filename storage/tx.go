package storage

import (
	"fmt"
	"runtime/debug"

	"go.etcd.io/bbolt"
)

// view and update run bbolt transactions for the methods. bbolt panics (or
// faults through its mapping) on damaged pages that the open-time check didn't
// reach; turning that into an error keeps one bad page from crashing the app,
// and bbolt's own deferred rollback releases its locks before we recover.
func (db *DB) view(fn func(*bbolt.Tx) error) (err error) {
	defer db.recoverDamaged(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return db.bolt.View(fn)
}

func (db *DB) update(fn func(*bbolt.Tx) error) (err error) {
	defer db.recoverDamaged(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return db.bolt.Update(fn)
}

func (db *DB) recoverDamaged(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("state file %s is damaged (%v); quit Fairshare, move that file elsewhere and start again to begin with empty state", db.path, r)
	}
}

// writeErr explains a failed write the way a user can act on it.
func (db *DB) writeErr(what string, err error) error {
	return fmt.Errorf("saving %s to %s: %w; check the disk is writable and not full", what, db.path, err)
}

// readErr explains a failed read.
func (db *DB) readErr(what string, err error) error {
	return fmt.Errorf("reading %s from %s: %w", what, db.path, err)
}
