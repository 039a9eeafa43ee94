package publisher

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// writeRandom creates path (and its parents) holding size random bytes.
func writeRandom(t *testing.T, path string, size int) {
	t.Helper()
	b := make([]byte, size)
	rand.Read(b)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// treeFiles is a folder layout with nesting, awkward names (space, '+',
// '#', non-ASCII) that web seed URLs must escape, an empty file, and
// "a.txt" next to folder "a" where walk order and sorted order differ.
var treeFiles = map[string]int{
	"a.txt":                  70_001,
	"a/b.bin":                1<<20 + 123,
	"sub dir/x+y #1.dat":     700 << 10,
	"sub dir/deeper/ünï.bin": 2<<20 + 7,
	emptyTreeFile:            0,
}

const emptyTreeFile = "sub dir/deeper/empty.tx"

func makeTree(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "My Share")
	for rel, size := range treeFiles {
		writeRandom(t, filepath.Join(root, filepath.FromSlash(rel)), size)
	}
	return root
}
