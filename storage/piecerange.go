package storage

import (
	"encoding/binary"
	"fmt"
	"iter"
	"math"

	tstorage "github.com/anacrolix/torrent/storage"
	"github.com/anacrolix/torrent/types/infohash"
	"go.etcd.io/bbolt"
)

// rangeChunk bounds how many states GetRange reads per transaction: enough to
// amortise the transaction, small enough to keep the buffer modest.
const rangeChunk = 1024

// GetRange yields the states of pieces [begin, end) in order. States are read
// in chunks and yielded outside the transaction: the consumer may call Set, and
// a write that grows the file would deadlock against our open read transaction.
func (pc *PieceCompletion) GetRange(ih infohash.T, begin, end int) iter.Seq[tstorage.Completion] {
	return func(yield func(tstorage.Completion) bool) {
		buf := make([]tstorage.Completion, 0, min(max(end-begin, 0), rangeChunk))
		for start := begin; start < end; start += rangeChunk {
			buf = pc.readRange(buf[:0], ih, start, min(end, start+rangeChunk))
			for _, c := range buf {
				if !yield(c) {
					return
				}
			}
		}
	}
}

// readRange appends the states of pieces [begin, end) to buf, walking the
// sorted keys with one cursor instead of one lookup per piece.
func (pc *PieceCompletion) readRange(buf []tstorage.Completion, ih infohash.T, begin, end int) []tstorage.Completion {
	first, err := pieceIndexKey(begin)
	if err == nil {
		_, err = pieceIndexKey(end - 1)
	}
	if err == nil {
		err = pc.db.view(func(tx *bbolt.Tx) error {
			buf = appendRange(buf, tx.Bucket(bucketPieces).Bucket(hashKey(ih)), first, begin, end)
			return nil
		})
	}
	if err != nil {
		err = pc.db.readErr(fmt.Sprintf("completion of pieces %d-%d of torrent %s", begin, end-1, ih.HexString()), err)
		buf = buf[:0]
		for range end - begin {
			buf = append(buf, tstorage.Completion{Err: err})
		}
	}
	return buf
}

func appendRange(buf []tstorage.Completion, b *bbolt.Bucket, first [4]byte, begin, end int) []tstorage.Completion {
	if b == nil {
		for range end - begin {
			buf = append(buf, tstorage.Completion{})
		}
		return buf
	}
	c := b.Cursor()
	k, v := c.Seek(first[:])
	for i := begin; i < end; i++ {
		// Skip anything before i; keys of another length aren't ours.
		for k != nil && (len(k) != 4 || uint64(binary.BigEndian.Uint32(k)) < uint64(i)) {
			k, v = c.Next()
		}
		if k != nil && uint64(binary.BigEndian.Uint32(k)) == uint64(i) {
			buf = append(buf, decodeCompletion(v))
		} else {
			buf = append(buf, tstorage.Completion{})
		}
	}
	return buf
}

// Forget marks pieces [begin, end) of a torrent unknown, so anacrolix
// re-verifies them, e.g. after the user moved or edited the files. It is one
// transaction.
func (pc *PieceCompletion) Forget(infoHash string, begin, end int) error {
	ih, err := infoHashKey(infoHash)
	if err != nil {
		return err
	}
	if begin < 0 || end < begin || uint64(end) > math.MaxUint32+1 {
		return fmt.Errorf("forgetting pieces [%d, %d) of torrent %s: invalid range", begin, end, ih)
	}
	if begin == end {
		return nil
	}
	first, _ := pieceIndexKey(begin)
	err = pc.db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPieces).Bucket(ih)
		if b == nil {
			return nil
		}
		// Collect first: deleting under a moving cursor can skip keys in bbolt.
		var doomed [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(first[:]); k != nil; k, _ = c.Next() {
			if len(k) == 4 && uint64(binary.BigEndian.Uint32(k)) >= uint64(end) {
				break
			}
			doomed = append(doomed, append([]byte(nil), k...))
		}
		for _, k := range doomed {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return pc.db.writeErr(fmt.Sprintf("forgetting pieces [%d, %d) of torrent %s", begin, end, ih), err)
	}
	return nil
}

// Counts returns how many pieces of a torrent are stored as complete and as
// incomplete; unknown pieces count in neither.
func (pc *PieceCompletion) Counts(infoHash string) (complete, incomplete int, err error) {
	ih, err := infoHashKey(infoHash)
	if err != nil {
		return 0, 0, err
	}
	err = pc.db.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPieces).Bucket(ih)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			c := decodeCompletion(v)
			switch {
			case c.Ok && c.Complete:
				complete++
			case c.Ok:
				incomplete++
			}
			return nil
		})
	})
	if err != nil {
		return 0, 0, pc.db.readErr("piece counts of torrent "+string(ih), err)
	}
	return complete, incomplete, nil
}
