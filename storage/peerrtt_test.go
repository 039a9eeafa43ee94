package storage

import (
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestPeerRTTsPersistAcrossReopen(t *testing.T) {
	home := t.TempDir()
	now := time.Unix(1_800_000_000, 0)
	db := mustOpen(t, home)
	if got, err := db.PeerRTTs(now); err != nil || len(got) != 0 {
		t.Fatalf("new file PeerRTTs = %v, %v; want empty", got, err)
	}
	err := db.PutPeerRTTs(map[string]time.Duration{
		"10.0.0.1:6881": 5 * time.Millisecond,
		"10.0.0.2:6881": 120 * time.Millisecond,
		"10.0.0.3:6881": 0, // unknown: not stored
		"":              time.Second,
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutPeerRTTs(map[string]time.Duration{"10.0.0.1:6881": 7 * time.Millisecond}, now); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)

	db = mustOpen(t, home)
	defer mustClose(t, db)
	got, err := db.PeerRTTs(now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"10.0.0.1:6881": 7 * time.Millisecond, "10.0.0.2:6881": 120 * time.Millisecond}
	if len(got) != len(want) {
		t.Fatalf("PeerRTTs = %v, want %v", got, want)
	}
	for a, d := range want {
		if got[a] != d {
			t.Errorf("PeerRTTs[%s] = %v, want %v", a, got[a], d)
		}
	}
}

func TestPeerRTTsExpire(t *testing.T) {
	db, _ := openTemp(t)
	then := time.Unix(1_800_000_000, 0)
	if err := db.PutPeerRTTs(map[string]time.Duration{"old:1": time.Millisecond}, then); err != nil {
		t.Fatal(err)
	}
	later := then.Add(PeerRTTMaxAge + time.Hour)
	if got, _ := db.PeerRTTs(later); len(got) != 0 {
		t.Errorf("expired entry returned: %v", got)
	}
	if err := db.PutPeerRTTs(map[string]time.Duration{"new:1": time.Millisecond}, later); err != nil {
		t.Fatal(err)
	}
	// The old entry is gone from the file, not just filtered.
	if got, _ := db.PeerRTTs(then); len(got) != 1 || got["old:1"] != 0 {
		t.Errorf("old entry survived pruning: %v", got)
	}
}

func TestPeerRTTsSkipMalformed(t *testing.T) {
	db, _ := openTemp(t)
	now := time.Unix(1_800_000_000, 0)
	if err := db.PutPeerRTTs(map[string]time.Duration{"good:1": time.Millisecond}, now); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPeerRTT).Put([]byte("bad:1"), []byte("short"))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.PeerRTTs(now)
	if err != nil || len(got) != 1 || got["good:1"] != time.Millisecond {
		t.Errorf("PeerRTTs = %v, %v; want only good:1", got, err)
	}
}
