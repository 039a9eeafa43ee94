package storage

import (
	"encoding/binary"
	"fmt"
	"math"

	g "github.com/anacrolix/generics"
	"github.com/anacrolix/torrent/metainfo"
	tstorage "github.com/anacrolix/torrent/storage"
	"go.etcd.io/bbolt"
)

// PieceCompletion is anacrolix's piece completion store, kept in the state file
// so one lock and one move-aside cover it along with the torrent list.
type PieceCompletion struct {
	db *DB
}

var (
	_ tstorage.PieceCompletion             = (*PieceCompletion)(nil)
	_ tstorage.PieceCompletionPersistenter = (*PieceCompletion)(nil)
	_ tstorage.PieceCompletionBatchSetter  = (*PieceCompletion)(nil)
	_ tstorage.PieceCompletionGetRanger    = (*PieceCompletion)(nil)
)

const (
	pieceIncomplete byte = 0
	pieceComplete   byte = 1
)

// PieceCompletion returns the piece completion store backed by this DB. Hand it
// to anacrolix's file storage for every torrent.
func (db *DB) PieceCompletion() *PieceCompletion { return db.pc }

// Persistent reports true: every Set is committed before it returns, so
// anacrolix flushes piece data when marking it complete and trusts the state
// at the next start.
func (pc *PieceCompletion) Persistent() bool { return true }

// Close does nothing: anacrolix's file storage closes its completion when it is
// closed, but this one lives as long as the DB, across many storages.
func (pc *PieceCompletion) Close() error { return nil }

// Get returns the stored state of a piece; Ok is false when it is unknown, so
// anacrolix hashes the piece instead of trusting it. Errors are reported in
// Completion.Err only: anacrolix joins both, which would print them twice.
func (pc *PieceCompletion) Get(pk metainfo.PieceKey) (tstorage.Completion, error) {
	var c tstorage.Completion
	key, err := pieceIndexKey(pk.Index)
	if err != nil {
		c.Err = err
		return c, nil
	}
	err = pc.db.view(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketPieces).Bucket(hashKey(pk.InfoHash)); b != nil {
			c = decodeCompletion(b.Get(key[:]))
		}
		return nil
	})
	if err != nil {
		c = tstorage.Completion{Err: pc.db.readErr(pieceWhat(pk), err)}
	}
	return c, nil
}

// Set stores a piece's state; None forgets it (unknown). It is committed and
// synced before returning, because anacrolix may trust it after a crash.
// Writing a state that is already stored is skipped: it costs a sync per call.
func (pc *PieceCompletion) Set(pk metainfo.PieceKey, complete g.Option[bool]) error {
	key, err := pieceIndexKey(pk.Index)
	if err != nil {
		return err
	}
	if cur, _ := pc.Get(pk); cur.Err == nil && g.OptionFromTuple(cur.Complete, cur.Ok) == complete {
		return nil
	}
	ih := hashKey(pk.InfoHash)
	err = pc.db.update(func(tx *bbolt.Tx) error {
		if !complete.Ok {
			return deletePiece(tx, ih, key[:])
		}
		return putPiece(tx, ih, key[:], complete.Value)
	})
	if err != nil {
		return pc.db.writeErr(pieceWhat(pk), err)
	}
	return nil
}

// SetBatch stores many states in one transaction, i.e. one sync.
func (pc *PieceCompletion) SetBatch(changes []tstorage.PieceCompletionChange) error {
	keys := make([][4]byte, len(changes))
	for i, ch := range changes {
		key, err := pieceIndexKey(ch.Key.Index)
		if err != nil {
			return err
		}
		keys[i] = key
	}
	err := pc.db.update(func(tx *bbolt.Tx) error {
		for i, ch := range changes {
			if err := putPiece(tx, hashKey(ch.Key.InfoHash), keys[i][:], ch.Complete); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return pc.db.writeErr(fmt.Sprintf("completion of %d pieces", len(changes)), err)
	}
	return nil
}

func putPiece(tx *bbolt.Tx, ih, key []byte, complete bool) error {
	b, err := tx.Bucket(bucketPieces).CreateBucketIfNotExists(ih)
	if err != nil {
		return err
	}
	v := pieceIncomplete
	if complete {
		v = pieceComplete
	}
	return b.Put(key, []byte{v})
}

func deletePiece(tx *bbolt.Tx, ih, key []byte) error {
	b := tx.Bucket(bucketPieces).Bucket(ih)
	if b == nil {
		return nil
	}
	return b.Delete(key)
}

// decodeCompletion treats anything but our two values as unknown: re-hashing
// a piece is always safe, trusting a garbled value is not.
func decodeCompletion(v []byte) tstorage.Completion {
	if len(v) != 1 {
		return tstorage.Completion{}
	}
	switch v[0] {
	case pieceComplete:
		return tstorage.Completion{Ok: true, Complete: true}
	case pieceIncomplete:
		return tstorage.Completion{Ok: true}
	}
	return tstorage.Completion{}
}

// pieceIndexKey encodes a piece index as a big-endian uint32, so keys sort in
// piece order and ranges can be read with one cursor.
func pieceIndexKey(index int) (key [4]byte, err error) {
	if index < 0 || uint64(index) > math.MaxUint32 {
		return key, fmt.Errorf("piece index %d out of range", index)
	}
	binary.BigEndian.PutUint32(key[:], uint32(index))
	return key, nil
}

func pieceWhat(pk metainfo.PieceKey) string {
	return fmt.Sprintf("completion of piece %d of torrent %s", pk.Index, pk.InfoHash.HexString())
}
