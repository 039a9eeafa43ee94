package storage

import (
	"encoding/binary"
	"time"

	"go.etcd.io/bbolt"
)

// PeerRTTMaxAge is how long a stored peer RTT is kept: addresses in a
// publisher swarm change over weeks, and an old RTT is worse than none.
const PeerRTTMaxAge = 30 * 24 * time.Hour

// peerRTTLen is the value layout: RTT in nanoseconds, then the Unix time
// in seconds it was saved, both big-endian int64.
const peerRTTLen = 16

// PeerRTTs returns the stored round-trip time per peer address ("ip:port")
// saved within PeerRTTMaxAge of now. Malformed values are skipped: they
// only cost an ordering hint.
func (db *DB) PeerRTTs(now time.Time) (map[string]time.Duration, error) {
	out := make(map[string]time.Duration)
	err := db.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPeerRTT).ForEach(func(k, v []byte) error {
			if d, at, ok := decodePeerRTT(v); ok && now.Sub(at) <= PeerRTTMaxAge {
				out[string(k)] = d
			}
			return nil
		})
	})
	if err != nil {
		return nil, db.readErr("peer round-trip times", err)
	}
	return out, nil
}

// PutPeerRTTs stores rtts (non-positive ones are ignored) as saved at now,
// replacing older values for the same addresses, and deletes entries
// older than PeerRTTMaxAge so the bucket does not grow without bound.
func (db *DB) PutPeerRTTs(rtts map[string]time.Duration, now time.Time) error {
	err := db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPeerRTT)
		if err := prunePeerRTTs(b, now); err != nil {
			return err
		}
		for addr, d := range rtts {
			if d <= 0 || addr == "" {
				continue
			}
			if err := b.Put([]byte(addr), encodePeerRTT(d, now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return db.writeErr("peer round-trip times", err)
	}
	return nil
}

func prunePeerRTTs(b *bbolt.Bucket, now time.Time) error {
	var old [][]byte
	b.ForEach(func(k, v []byte) error {
		if _, at, ok := decodePeerRTT(v); !ok || now.Sub(at) > PeerRTTMaxAge {
			old = append(old, append([]byte{}, k...))
		}
		return nil
	})
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func encodePeerRTT(d time.Duration, at time.Time) []byte {
	v := make([]byte, peerRTTLen)
	binary.BigEndian.PutUint64(v[:8], uint64(d))
	binary.BigEndian.PutUint64(v[8:], uint64(at.Unix()))
	return v
}

func decodePeerRTT(v []byte) (time.Duration, time.Time, bool) {
	if len(v) != peerRTTLen {
		return 0, time.Time{}, false
	}
	d := time.Duration(binary.BigEndian.Uint64(v[:8]))
	at := time.Unix(int64(binary.BigEndian.Uint64(v[8:])), 0)
	return d, at, d > 0
}
