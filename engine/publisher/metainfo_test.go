package publisher

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

func TestChoosePieceLength(t *testing.T) {
	for _, c := range []struct{ total, want int64 }{
		{1, 32 << 10},
		{1500 * 32 << 10, 32 << 10},
		{1500*32<<10 + 1, 64 << 10},
		{1500 * 64 << 10, 64 << 10},
		{1500*64<<10 + 1, 128 << 10},
		{3 << 20, 32 << 10},
		{1 << 30, 1 << 20}, // 1024 pieces
		{100 << 30, 4 << 20},
	} {
		if got := choosePieceLength(c.total); got != c.want {
			t.Errorf("choosePieceLength(%d) = %d, want %d", c.total, got, c.want)
		}
	}
}

func TestBuildSingleFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "movie.bin")
	writeRandom(t, path, 3<<20+5)
	before := time.Now().Unix()
	mi, err := Build(path, BuildOptions{
		Trackers:  []string{"http://127.0.0.1:1/announce", "udp://127.0.0.1:2"},
		WebSeeds:  []string{"http://127.0.0.1:3/webseed/"},
		CreatedBy: "fairshare test",
		Comment:   "hello",
	})
	if err != nil {
		t.Fatal(err)
	}
	info, err := mi.UnmarshalInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "movie.bin" || info.Length != 3<<20+5 || info.IsDir() || info.PieceLength != 32<<10 {
		t.Errorf("info = name %q length %d dir %v piece length %d", info.Name, info.Length, info.IsDir(), info.PieceLength)
	}
	wantTiers := metainfo.AnnounceList{{"http://127.0.0.1:1/announce"}, {"udp://127.0.0.1:2"}}
	if !reflect.DeepEqual(mi.AnnounceList, wantTiers) || mi.Announce != "http://127.0.0.1:1/announce" {
		t.Errorf("trackers: announce %q, list %v", mi.Announce, mi.AnnounceList)
	}
	if !reflect.DeepEqual([]string(mi.UrlList), []string{"http://127.0.0.1:3/webseed/"}) {
		t.Errorf("url-list = %v", mi.UrlList)
	}
	if mi.CreatedBy != "fairshare test" || mi.Comment != "hello" || mi.CreationDate < before || mi.CreationDate > time.Now().Unix() {
		t.Errorf("created by %q comment %q date %d", mi.CreatedBy, mi.Comment, mi.CreationDate)
	}
	// anacrolix's own builder must agree byte for byte: same pieces, same hash.
	var ref metainfo.Info
	ref.PieceLength = info.PieceLength
	if err := ref.BuildFromFilePath(path); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ref.Pieces, info.Pieces) {
		t.Error("piece hashes differ from anacrolix's Info.BuildFromFilePath")
	}
}

func TestBuildFolderIsDeterministicAndMatchesAnacrolix(t *testing.T) {
	root := makeTree(t)
	mi, err := Build(root, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(root, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if mi.HashInfoBytes() != again.HashInfoBytes() {
		t.Error("building the same folder twice gave different info hashes")
	}
	info, _ := mi.UnmarshalInfo()
	var paths []string
	for _, f := range info.Files {
		paths = append(paths, strings.Join(f.Path, "/"))
	}
	want := []string{"a.txt", "a/b.bin", "sub dir/deeper/empty.tx", "sub dir/deeper/ünï.bin", "sub dir/x+y #1.dat"}
	if !reflect.DeepEqual(paths, want) || info.Name != "My Share" {
		t.Errorf("name %q files %q, want %q", info.Name, paths, want)
	}
	var ref metainfo.Info
	ref.PieceLength = info.PieceLength
	if err := ref.BuildFromFilePath(root); err != nil {
		t.Fatal(err)
	}
	refBytes, err := bencode.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	if metainfo.HashBytes(refBytes) != mi.HashInfoBytes() {
		t.Error("info hash differs from anacrolix's Info.BuildFromFilePath for the same folder")
	}
}

func TestBuildPieceLengthOption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	writeRandom(t, path, 100_000)
	mi, err := Build(path, BuildOptions{PieceLength: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := mi.UnmarshalInfo(); info.PieceLength != 64<<10 || info.NumPieces() != 2 {
		t.Errorf("piece length %d, %d pieces", info.PieceLength, info.NumPieces())
	}
	for _, bad := range []int64{1000, 8 << 10, 48 << 10} {
		if _, err := Build(path, BuildOptions{PieceLength: bad}); err == nil || !strings.Contains(err.Error(), "power of two") {
			t.Errorf("piece length %d: err = %v", bad, err)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	dir := t.TempDir()
	mkdir := func(p string) string {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	emptyDir := mkdir(filepath.Join(dir, "empty"))
	onlyDirs := filepath.Join(dir, "onlydirs")
	mkdir(filepath.Join(onlyDirs, "x", "y"))
	zeroes := mkdir(filepath.Join(dir, "zeroes"))
	os.WriteFile(filepath.Join(zeroes, "a"), nil, 0o644)
	withLink := mkdir(filepath.Join(dir, "withlink"))
	writeRandom(t, filepath.Join(withLink, "real"), 10)
	if err := os.Symlink("real", filepath.Join(withLink, "link")); err != nil {
		t.Fatal(err)
	}
	folder := makeTree(t)

	for _, c := range []struct {
		name, path string
		o          BuildOptions
		is         error
		contains   string
	}{
		{"missing", filepath.Join(dir, "nope"), BuildOptions{}, fs.ErrNotExist, "does not exist"},
		{"empty folder", emptyDir, BuildOptions{}, nil, "has no files"},
		{"only subfolders", onlyDirs, BuildOptions{}, nil, "has no files"},
		{"all files empty", zeroes, BuildOptions{}, nil, "holds no data"},
		{"symlink inside", withLink, BuildOptions{}, nil, "symbolic link"},
		{"folder web seed without slash", folder, BuildOptions{WebSeeds: []string{"http://h/webseed"}}, nil, `must end with "/"`},
		{"bad tracker", folder, BuildOptions{Trackers: []string{"ftp://h/x"}}, nil, "tracker URL"},
		{"relative web seed", folder, BuildOptions{WebSeeds: []string{"/webseed/"}}, nil, "web seed URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build(c.path, c.o)
			if err == nil || !strings.Contains(err.Error(), c.contains) || (c.is != nil && !errors.Is(err, c.is)) {
				t.Fatalf("err = %v, want one containing %q", err, c.contains)
			}
		})
	}
}

func TestBuildUnreadableFile(t *testing.T) {
	root := makeTree(t)
	denied := func(string) (io.ReadCloser, error) { return nil, fs.ErrPermission }
	_, err := build(root, BuildOptions{}, denied)
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "read permission") {
		t.Fatalf("err = %v", err)
	}

	// The same through the real filesystem, where permissions apply.
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions do not stop reads")
	}
	p := filepath.Join(root, "a.txt")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(root, BuildOptions{}); !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteTorrentFile(t *testing.T) {
	root := makeTree(t)
	mi, err := Build(root, BuildOptions{WebSeeds: []string{"http://127.0.0.1:9/webseed/"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "share.torrent")
	if err := WriteTorrentFile(mi, out); err != nil {
		t.Fatal(err)
	}
	back, err := metainfo.LoadFromFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if back.HashInfoBytes() != mi.HashInfoBytes() || !reflect.DeepEqual(back.UrlList, mi.UrlList) {
		t.Error("the written .torrent does not load back to the same torrent")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := WriteTorrentFile(mi, filepath.Join(dir, "no", "such", "dir.torrent")); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
