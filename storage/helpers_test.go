package storage

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/metainfo"
)

// openTemp opens a DB in a fresh temporary home and closes it when the test ends.
func openTemp(t testing.TB) (*DB, string) {
	t.Helper()
	home := t.TempDir()
	db := mustOpen(t, home)
	t.Cleanup(func() { _ = db.Close() })
	return db, home
}

func mustOpen(t testing.TB, home string) *DB {
	t.Helper()
	db, err := Open(home)
	if err != nil {
		t.Fatalf("Open(%s): %v", home, err)
	}
	return db
}

func mustClose(t testing.TB, db *DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// hashN returns a distinct, valid info hash for n.
func hashN(n int) string {
	sum := sha1.Sum([]byte(fmt.Sprint("torrent", n)))
	return hex.EncodeToString(sum[:])
}

func pieceKey(t testing.TB, infoHash string, index int) metainfo.PieceKey {
	t.Helper()
	var h metainfo.Hash
	if err := h.FromHexString(infoHash); err != nil {
		t.Fatal(err)
	}
	return metainfo.PieceKey{InfoHash: h, Index: index}
}

// asideFiles lists the moved-aside copies of home's state file.
func asideFiles(t testing.TB, home string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(home, FileName+".corrupt-*"))
	if err != nil {
		t.Fatal(err)
	}
	return matches
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func assertOneLine(t testing.TB, err error) {
	t.Helper()
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error spans several lines: %q", err)
	}
}

func assertNotCorrupt(t testing.TB, err error) {
	t.Helper()
	var ce *CorruptError
	if errors.As(err, &ce) {
		t.Errorf("got CorruptError, want a plain error: %v", err)
	}
}
