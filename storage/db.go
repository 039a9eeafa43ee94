package storage

import (
	"errors"
	"fmt"
	"sync"

	"go.etcd.io/bbolt"
)

// DB is Fairshare's open state file. It is safe for concurrent use.
type DB struct {
	path string
	bolt *bbolt.DB
	pc   *PieceCompletion

	closeOnce sync.Once
	closeErr  error
}

// Open creates home (0700) if needed and opens home/state.db.
//
// It fails with ErrAlreadyRunning (wrapped) after about a second if another
// process holds the file, with *CorruptError after moving a damaged file aside,
// and with ErrNewerSchema (wrapped) if a newer Fairshare wrote the file.
func Open(home string) (*DB, error) {
	path, err := prepareHome(home)
	if err != nil {
		return nil, err
	}
	err = inspect(path)
	var bdb *bbolt.DB
	if err == nil {
		bdb, err = openBolt(path, false)
	}
	if err == nil {
		err = verify(bdb, path)
	}
	if err != nil {
		var d *damage
		if errors.As(err, &d) {
			return nil, setAside(path, d.cause)
		}
		return nil, err
	}
	db := &DB{path: path, bolt: bdb}
	db.pc = &PieceCompletion{db: db}
	return db, nil
}

// Path returns the state file's path.
func (db *DB) Path() string { return db.path }

// Close releases the file and its lock. Calling it again returns the first result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		if err := db.bolt.Close(); err != nil {
			db.closeErr = fmt.Errorf("closing state file %s: %w", db.path, err)
		}
	})
	return db.closeErr
}

// verify makes sure the opened file's pages are sound and stamps or checks its
// schema, closing the file otherwise so the caller may move it aside.
func verify(bdb *bbolt.DB, path string) (err error) {
	defer func() {
		if err != nil {
			// Close can't matter more than the verification error; the file is
			// being abandoned either way.
			_ = bdb.Close()
		}
	}()
	if err := checkPages(bdb); err != nil {
		return err
	}
	return initSchema(bdb, path)
}
