package storage

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Torrent is one torrent the user added or published. It is stored as JSON so
// fields can be added without a schema bump; the tags keep the file stable
// across Go renames.
type Torrent struct {
	InfoHash   string    `json:"infoHash"`         // 40 lowercase hex chars, the key
	Source     string    `json:"source,omitempty"` // original magnet URI, .torrent path or URL
	Name       string    `json:"name,omitempty"`
	SaveDir    string    `json:"saveDir,omitempty"`
	Added      time.Time `json:"added"`
	Paused     bool      `json:"paused,omitempty"`
	Publisher  bool      `json:"publisher,omitempty"` // our own published torrent (source node)
	Unlimited  bool      `json:"unlimited,omitempty"` // user exempted it from fairness
	Uploaded   int64     `json:"uploaded,omitempty"`  // lifetime payload bytes
	Downloaded int64     `json:"downloaded,omitempty"`
	Trackers   []string  `json:"trackers,omitempty"`
	WebSeeds   []string  `json:"webSeeds,omitempty"`
}

// PutTorrent inserts or replaces t's record. Info bytes and piece states are
// kept, so re-saving a record (e.g. on pause) doesn't force a re-download.
// InfoHash is stored lower-cased.
func (db *DB) PutTorrent(t Torrent) error {
	key, err := infoHashKey(t.InfoHash)
	if err != nil {
		return err
	}
	t.InfoHash = string(key)
	raw, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encoding torrent %s: %w", key, err)
	}
	err = db.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTorrents).Put(key, raw)
	})
	if err != nil {
		return db.writeErr("torrent "+string(key), err)
	}
	return nil
}

// Torrent returns the record for infoHash and whether there is one.
func (db *DB) Torrent(infoHash string) (Torrent, bool, error) {
	key, err := infoHashKey(infoHash)
	if err != nil {
		return Torrent{}, false, err
	}
	var t Torrent
	found := false
	err = db.view(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bucketTorrents).Get(key)
		if raw == nil {
			return nil
		}
		found = true
		return json.Unmarshal(raw, &t)
	})
	if err != nil {
		return Torrent{}, false, db.readErr("torrent "+string(key), err)
	}
	return t, found, nil
}

// Torrents returns every record, oldest first (ties by info hash), which is the
// order the GUI lists them and the engine re-adds them.
func (db *DB) Torrents() ([]Torrent, error) {
	var all []Torrent
	err := db.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTorrents).ForEach(func(k, v []byte) error {
			var t Torrent
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("torrent %s: %w", k, err)
			}
			all = append(all, t)
			return nil
		})
	})
	if err != nil {
		return nil, db.readErr("torrents", err)
	}
	slices.SortFunc(all, func(a, b Torrent) int {
		return cmp.Or(a.Added.Compare(b.Added), cmp.Compare(a.InfoHash, b.InfoHash))
	})
	return all, nil
}

// DeleteTorrent removes the record, its info bytes and all its piece states in
// one transaction. Drop the torrent from the engine first: a still-running
// storage would record piece states again. Deleting an unknown torrent is not
// an error.
func (db *DB) DeleteTorrent(infoHash string) error {
	key, err := infoHashKey(infoHash)
	if err != nil {
		return err
	}
	err = db.update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketTorrents).Delete(key); err != nil {
			return err
		}
		if err := tx.Bucket(bucketInfo).Delete(key); err != nil {
			return err
		}
		err := tx.Bucket(bucketPieces).DeleteBucket(key)
		if errors.Is(err, berrors.ErrBucketNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return db.writeErr("removal of torrent "+string(key), err)
	}
	return nil
}

// AddCounters atomically adds transfer deltas to a torrent's lifetime totals.
// Doing the read-modify-write in one transaction keeps concurrent stat flushes
// from losing bytes. Unknown torrents are ignored: stats may still arrive for a
// torrent the user just removed.
func (db *DB) AddCounters(infoHash string, up, down int64) error {
	key, err := infoHashKey(infoHash)
	if err != nil {
		return err
	}
	if up == 0 && down == 0 {
		return nil
	}
	err = db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketTorrents)
		raw := b.Get(key)
		if raw == nil {
			return nil
		}
		var t Torrent
		if err := json.Unmarshal(raw, &t); err != nil {
			return err
		}
		t.Uploaded += up
		t.Downloaded += down
		updated, err := json.Marshal(t)
		if err != nil {
			return err
		}
		return b.Put(key, updated)
	})
	if err != nil {
		return db.writeErr("transfer totals of torrent "+string(key), err)
	}
	return nil
}
