package storage

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	g "github.com/anacrolix/generics"
	"go.etcd.io/bbolt"
)

func TestDefaultHomeUsesEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(homeEnv, dir)
	got, err := DefaultHome()
	if err != nil || got != dir {
		t.Fatalf("DefaultHome() = %q, %v; want %q", got, err, dir)
	}
}

func TestDefaultHomeMakesEnvAbsolute(t *testing.T) {
	t.Setenv(homeEnv, "relative/state")
	got, err := DefaultHome()
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := filepath.Join(wd, "relative/state"); got != want {
		t.Fatalf("DefaultHome() = %q, want %q", got, want)
	}
}

func TestDefaultHomeFallsBackToConfigDir(t *testing.T) {
	t.Setenv(homeEnv, "")
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config) // honoured on Linux/BSD
	t.Setenv("HOME", config)            // and the base elsewhere
	got, err := DefaultHome()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.UserConfigDir()
	if got != filepath.Join(want, "fairshare") {
		t.Fatalf("DefaultHome() = %q, want %q", got, filepath.Join(want, "fairshare"))
	}
}

func TestOpenCreatesPrivateHome(t *testing.T) {
	home := filepath.Join(t.TempDir(), "a", "fairshare")
	db := mustOpen(t, home)
	defer mustClose(t, db)
	if db.Path() != filepath.Join(home, FileName) {
		t.Errorf("Path() = %q", db.Path())
	}
	st, err := os.Stat(home)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o700 {
		t.Errorf("home mode = %v, want 0700", perm)
	}
	if _, err := os.Stat(db.Path()); err != nil {
		t.Errorf("state file not created: %v", err)
	}
}

func TestOpenStampsSchema(t *testing.T) {
	db, _ := openTemp(t)
	path := db.Path()
	mustClose(t, db)
	raw := rawGet(t, path, bucketMeta, keySchema)
	if len(raw) != 4 || binary.BigEndian.Uint32(raw) != 1 {
		t.Fatalf("meta/schema = %x, want big-endian 1", raw)
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	db, _ := openTemp(t)
	mustClose(t, db)
	mustClose(t, db)
	if err := db.PutSetting("k", []byte("v")); err == nil {
		t.Error("PutSetting after Close succeeded")
	}
}

func TestStatePersistsAcrossReopen(t *testing.T) {
	db, home := openTemp(t)
	added := time.Date(2026, 11, 23, 17, 50, 0, 0, time.UTC)
	tor := Torrent{InfoHash: hashN(1), Name: "ubuntu.iso", Added: added, Trackers: []string{"udp://t"}}
	steps := []error{
		db.PutTorrent(tor),
		db.SetInfoBytes(hashN(1), []byte("d4:name10:ubuntu.isoe")),
		db.PutSetting("upload-limit", []byte("42")),
		db.PieceCompletion().Set(pieceKey(t, hashN(1), 3), g.Some(true)),
		db.PieceCompletion().Set(pieceKey(t, hashN(1), 4), g.Some(false)),
		db.AddCounters(hashN(1), 10, 20),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	mustClose(t, db)

	db = mustOpen(t, home)
	defer mustClose(t, db)
	got, ok, err := db.Torrent(hashN(1))
	if err != nil || !ok || got.Name != "ubuntu.iso" || !got.Added.Equal(added) || got.Uploaded != 10 || got.Downloaded != 20 {
		t.Errorf("torrent after reopen = %+v, %v, %v", got, ok, err)
	}
	if info, _ := db.InfoBytes(hashN(1)); string(info) != "d4:name10:ubuntu.isoe" {
		t.Errorf("info after reopen = %q", info)
	}
	if v, ok, _ := db.Setting("upload-limit"); !ok || string(v) != "42" {
		t.Errorf("setting after reopen = %q, %v", v, ok)
	}
	if c, i, _ := db.PieceCompletion().Counts(hashN(1)); c != 1 || i != 1 {
		t.Errorf("counts after reopen = %d complete, %d incomplete; want 1, 1", c, i)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db, home := openTemp(t)
	path := db.Path()
	mustClose(t, db)
	rawPut(t, path, bucketMeta, keySchema, []byte{0, 0, 0, 2})
	before := readFile(t, path)

	for range 2 { // the lock must be released after refusing, so twice
		_, err := Open(home)
		if !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("Open = %v, want ErrNewerSchema", err)
		}
		want := "state file " + path + " was written by a newer Fairshare (schema 2); upgrade Fairshare"
		if err.Error() != want {
			t.Errorf("message = %q, want %q", err, want)
		}
		assertNotCorrupt(t, err)
	}
	if string(readFile(t, path)) != string(before) {
		t.Error("Open changed a newer schema's file")
	}
	if aside := asideFiles(t, home); len(aside) != 0 {
		t.Errorf("newer file moved aside: %v", aside)
	}
}

func TestOpenStampsEmptyBoltFile(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	bdb, err := bbolt.Open(path, 0o600, nil) // as if a start died before stamping
	if err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	db := mustOpen(t, home)
	mustClose(t, db)
	if raw := rawGet(t, path, bucketMeta, keySchema); len(raw) != 4 {
		t.Fatalf("schema not stamped: %x", raw)
	}
}

func TestOpenTreatsBadSchemaAsCorrupt(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"data without schema": func(t *testing.T, path string) {
			rawPut(t, path, []byte("torrents"), []byte("x"), []byte("{}"))
		},
		"schema of wrong length": func(t *testing.T, path string) {
			rawPut(t, path, bucketMeta, keySchema, []byte{1})
		},
		"schema zero": func(t *testing.T, path string) {
			rawPut(t, path, bucketMeta, keySchema, []byte{0, 0, 0, 0})
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			path := filepath.Join(home, FileName)
			damage(t, path)
			assertMovedAside(t, home, readFile(t, path))
		})
	}
}

func TestOpenReportsUnusableHome(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "file")
	writeFile(t, parent, []byte("not a folder"))
	home := filepath.Join(parent, "fairshare")
	_, err := Open(home)
	if err == nil {
		t.Fatal("Open under a regular file succeeded")
	}
	if !strings.Contains(err.Error(), home) || !strings.Contains(err.Error(), homeEnv) {
		t.Errorf("error should name the folder and %s: %v", homeEnv, err)
	}
	assertOneLine(t, err)
	assertNotCorrupt(t, err)
}

func TestOpenLeavesDirectoryInTheWayAlone(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Open(home)
	if err == nil {
		t.Fatal("Open with a folder named state.db succeeded")
	}
	assertNotCorrupt(t, err)
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error should name %s: %v", path, err)
	}
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		t.Errorf("folder in the way was touched: %v", err)
	}
}

// rawPut writes one key with plain bbolt, creating the file and bucket as needed,
// to build files Open must cope with.
func rawPut(t *testing.T, path string, bucket, key, value []byte) {
	t.Helper()
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		return b.Put(key, value)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func rawGet(t *testing.T, path string, bucket, key []byte) (value []byte) {
	t.Helper()
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	_ = bdb.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucket); b != nil {
			value = append([]byte(nil), b.Get(key)...)
		}
		return nil
	})
	return value
}
