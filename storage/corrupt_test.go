package storage

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tstorage "github.com/anacrolix/torrent/storage"
)

// populated builds a valid state file spanning many pages and returns its home.
func populated(t *testing.T) (home, path string) {
	t.Helper()
	home = t.TempDir()
	db := mustOpen(t, home)
	for i := range 200 {
		tor := Torrent{InfoHash: hashN(i), Name: strings.Repeat("n", 200), Added: time.Unix(int64(i), 0)}
		if err := db.PutTorrent(tor); err != nil {
			t.Fatal(err)
		}
	}
	var changes []tstorage.PieceCompletionChange
	for i := range 2000 {
		changes = append(changes, tstorage.PieceCompletionChange{Key: pieceKey(t, hashN(i%5), i), Complete: i%3 == 0})
	}
	if err := db.PieceCompletion().SetBatch(changes); err != nil {
		t.Fatal(err)
	}
	path = db.Path()
	mustClose(t, db)
	if st, _ := os.Stat(path); st.Size() < 16*int64(os.Getpagesize()) {
		t.Fatalf("test file too small to damage meaningfully: %d bytes", st.Size())
	}
	return home, path
}

// assertMovedAside opens home, expects a CorruptError that moved the state
// file, byte for byte, to a corrupt-<time> name, and a fresh start after.
func assertMovedAside(t *testing.T, home string, damaged []byte) {
	t.Helper()
	path := filepath.Join(home, FileName)
	db, err := Open(home)
	if err == nil {
		db.Close()
		t.Fatal("Open of a damaged file succeeded")
	}
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("Open = %v, want *CorruptError", err)
	}
	assertOneLine(t, err)
	t.Logf("message: %v", err)
	if ce.Path != path || ce.MoveErr != nil {
		t.Errorf("CorruptError = %+v", ce)
	}
	pattern := regexp.QuoteMeta(path) + `\.corrupt-\d{8}T\d{6}Z$`
	if !regexp.MustCompile(pattern).MatchString(ce.MovedTo) {
		t.Errorf("MovedTo = %q, want match for %s", ce.MovedTo, pattern)
	}
	msg := err.Error()
	for _, want := range []string{"state file " + path + " is corrupt (", "moved it aside to " + ce.MovedTo, "start again"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if string(readFile(t, ce.MovedTo)) != string(damaged) {
		t.Error("moved-aside file differs from the damaged file")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file still in place: %v", err)
	}

	db = mustOpen(t, home)
	defer mustClose(t, db)
	if all, err := db.Torrents(); err != nil || len(all) != 0 {
		t.Errorf("fresh start has torrents %v, %v", all, err)
	}
	if aside := asideFiles(t, home); len(aside) != 1 {
		t.Errorf("aside files = %v, want exactly one", aside)
	}
}

func TestOpenMovesRandomBytesAside(t *testing.T) {
	home := t.TempDir()
	junk := make([]byte, 64<<10)
	rand.Read(junk)
	writeFile(t, filepath.Join(home, FileName), junk)
	assertMovedAside(t, home, junk)
}

func TestOpenMovesTruncatedFileAside(t *testing.T) {
	for _, keep := range []string{"half", "100 bytes", "3 pages"} {
		t.Run(keep, func(t *testing.T) {
			t.Parallel()
			home, path := populated(t)
			b := readFile(t, path)
			switch keep {
			case "half":
				b = b[:len(b)/2]
			case "100 bytes":
				b = b[:100]
			case "3 pages":
				b = b[:3*os.Getpagesize()]
			}
			writeFile(t, path, b)
			assertMovedAside(t, home, b)
		})
	}
}

func TestOpenMovesFlippedFileAside(t *testing.T) {
	ps := os.Getpagesize()
	flips := map[string]func(b []byte){
		// Page headers hold id, type and counts: bbolt panics or its check fails.
		"page headers": func(b []byte) {
			for p := 2 * ps; p < len(b); p += ps {
				flip(b[p : p+16])
			}
		},
		"whole data pages": func(b []byte) { flip(b[2*ps:]) },
		"both meta pages":  func(b []byte) { flip(b[:2*ps]) },
		// Structurally valid pages, but the free pages are now lost: only
		// bbolt's consistency check notices.
		"freelist emptied": func(b []byte) {
			page := b[freelistPage(b)*uint64(ps):]
			binary.LittleEndian.PutUint16(page[10:12], 0) // element count
		},
	}
	for name, damage := range flips {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home, path := populated(t)
			b := readFile(t, path)
			damage(b)
			writeFile(t, path, b)
			assertMovedAside(t, home, b)
		})
	}
}

// freelistPage reads the freelist page id from the current (higher txid) meta
// page. Meta layout after the 16-byte page header: magic, version, page size,
// flags (4 bytes each), root bucket (16), freelist (8), high water mark (8),
// txid (8).
func freelistPage(b []byte) uint64 {
	ps := os.Getpagesize()
	meta := func(i int) []byte { return b[i*ps+16:] }
	cur := meta(0)
	if binary.LittleEndian.Uint64(meta(1)[48:]) > binary.LittleEndian.Uint64(cur[48:]) {
		cur = meta(1)
	}
	return binary.LittleEndian.Uint64(cur[32:])
}

func flip(b []byte) {
	for i := range b {
		b[i] ^= 0xff
	}
}

func TestMoveAsideNeverOverwrites(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	now := time.Date(2026, 11, 23, 17, 50, 0, 0, time.UTC)
	var moved []string
	for i := range 3 {
		writeFile(t, path, []byte(fmt.Sprint("copy ", i)))
		dest, err := moveAside(path, now)
		if err != nil {
			t.Fatal(err)
		}
		moved = append(moved, dest)
	}
	want := []string{
		path + ".corrupt-20261123T175000Z",
		path + ".corrupt-20261123T175000Z-1",
		path + ".corrupt-20261123T175000Z-2",
	}
	for i := range want {
		if moved[i] != want[i] {
			t.Errorf("move %d went to %q, want %q", i, moved[i], want[i])
		}
		if got := string(readFile(t, want[i])); got != fmt.Sprint("copy ", i) {
			t.Errorf("%s holds %q", want[i], got)
		}
	}
}

func TestCorruptErrorMessage(t *testing.T) {
	err := &CorruptError{Path: "/x/state.db", MovedTo: "/x/state.db.corrupt-20261123T175000Z", Err: errors.New("invalid\ndatabase")}
	want := "state file /x/state.db is corrupt (invalid database); moved it aside to /x/state.db.corrupt-20261123T175000Z; start again to begin with empty state (downloaded files are kept and re-verified when re-added)"
	if err.Error() != want {
		t.Errorf("got  %q\nwant %q", err, want)
	}
	failed := &CorruptError{Path: "/x/state.db", Err: errors.New("bad"), MoveErr: errors.New("read-only")}
	if msg := failed.Error(); !strings.Contains(msg, "could not be moved aside (read-only)") || !strings.Contains(msg, "/x/state.db") {
		t.Errorf("move failure message = %q", msg)
	}
}
