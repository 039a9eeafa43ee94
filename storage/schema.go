package storage

import (
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"
)

// schemaVersion is bumped whenever the layout changes in a way older
// Fairshare versions would misread.
const schemaVersion uint32 = 1

var (
	bucketMeta     = []byte("meta")
	bucketTorrents = []byte("torrents")
	bucketInfo     = []byte("info")
	bucketSettings = []byte("settings")
	bucketPieces   = []byte("pieces")
	// bucketPeerRTT was added without a version bump: older versions
	// ignore a bucket they do not know.
	bucketPeerRTT = []byte("peer_rtt")

	keySchema = []byte("schema")

	// dataBuckets exist in every opened file, so methods can rely on them.
	dataBuckets = [][]byte{bucketTorrents, bucketInfo, bucketSettings, bucketPieces, bucketPeerRTT}
)

// initSchema stamps a new file with the schema version, checks an existing
// file's version and makes sure every bucket exists. A newer file is refused
// without writing to it.
func initSchema(bdb *bbolt.DB, path string) (err error) {
	defer recoverAsDamage(&err)
	return bdb.Update(func(tx *bbolt.Tx) error {
		isNew, err := checkSchema(tx, path)
		if err != nil {
			return err
		}
		if isNew {
			if err := stampSchema(tx, path); err != nil {
				return err
			}
		}
		for _, name := range dataBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("creating bucket %s in %s: %w; check the disk is writable and not full", name, path, err)
			}
		}
		return nil
	})
}

// checkSchema accepts files of our schema version and reports as new a file
// without any bucket (bbolt created it, or a previous start stopped before
// stamping it).
func checkSchema(tx *bbolt.Tx, path string) (isNew bool, err error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		if hasBuckets(tx) {
			return false, damagef("it has data but no schema version")
		}
		return true, nil
	}
	raw := meta.Get(keySchema)
	if raw == nil {
		return false, damagef("schema version is missing")
	}
	if len(raw) != 4 {
		return false, damagef("schema version is unreadable (%d bytes)", len(raw))
	}
	switch v := binary.BigEndian.Uint32(raw); {
	case v == 0:
		return false, damagef("schema version is 0")
	case v > schemaVersion:
		return false, &newerSchemaError{path: path, version: v}
	}
	return false, nil
}

func hasBuckets(tx *bbolt.Tx) bool {
	c := tx.Cursor()
	k, _ := c.First()
	return k != nil
}

func stampSchema(tx *bbolt.Tx, path string) error {
	meta, err := tx.CreateBucket(bucketMeta)
	if err == nil {
		var v [4]byte
		binary.BigEndian.PutUint32(v[:], schemaVersion)
		err = meta.Put(keySchema, v[:])
	}
	if err != nil {
		return fmt.Errorf("writing schema version to %s: %w; check the disk is writable and not full", path, err)
	}
	return nil
}
