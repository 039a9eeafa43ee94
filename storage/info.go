package storage

import (
	"slices"

	"go.etcd.io/bbolt"
)

// SetInfoBytes stores a torrent's bencoded info dictionary, so a magnet link
// needs its metadata fetched from peers only once.
func (db *DB) SetInfoBytes(infoHash string, info []byte) error {
	key, err := infoHashKey(infoHash)
	if err != nil {
		return err
	}
	err = db.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketInfo).Put(key, info)
	})
	if err != nil {
		return db.writeErr("metadata of torrent "+string(key), err)
	}
	return nil
}

// InfoBytes returns the stored info dictionary, or nil, nil if there is none.
func (db *DB) InfoBytes(infoHash string) ([]byte, error) {
	key, err := infoHashKey(infoHash)
	if err != nil {
		return nil, err
	}
	var info []byte
	err = db.view(func(tx *bbolt.Tx) error {
		// Clone: bbolt's slice points into the mapping and dies with the transaction.
		info = slices.Clone(tx.Bucket(bucketInfo).Get(key))
		return nil
	})
	if err != nil {
		return nil, db.readErr("metadata of torrent "+string(key), err)
	}
	return info, nil
}
