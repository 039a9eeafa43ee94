package storage

import (
	"errors"

	"go.etcd.io/bbolt"
)

// Setting returns the value stored under key and whether there is one.
// The value format is up to the caller.
func (db *DB) Setting(key string) ([]byte, bool, error) {
	var value []byte
	found := false
	err := db.view(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bucketSettings).Get([]byte(key))
		if raw != nil {
			found = true
			// Non-nil even when empty, and a copy: raw dies with the transaction.
			value = append([]byte{}, raw...)
		}
		return nil
	})
	if err != nil {
		return nil, false, db.readErr("setting "+key, err)
	}
	return value, found, nil
}

// PutSetting stores value under key, replacing any previous value.
func (db *DB) PutSetting(key string, value []byte) error {
	if key == "" {
		return errors.New("storing a setting: the key must not be empty")
	}
	err := db.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSettings).Put([]byte(key), value)
	})
	if err != nil {
		return db.writeErr("setting "+key, err)
	}
	return nil
}
