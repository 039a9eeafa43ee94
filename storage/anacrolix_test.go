package storage

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	g "github.com/anacrolix/generics"
	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	tstorage "github.com/anacrolix/torrent/storage"
)

// TestAnacrolixFileStorage drives our completion through anacrolix's own file
// storage, as the engine will: pieces marked complete survive the storage being
// closed (which closes its completion) and a new storage trusts them.
func TestAnacrolixFileStorage(t *testing.T) {
	db, _ := openTemp(t)
	data := t.TempDir()
	content := make([]byte, 5*16384+100)
	for i := range content {
		content[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(data, "payload.bin"), content, 0o644); err != nil {
		t.Fatal(err)
	}
	info := metainfo.Info{PieceLength: 16384}
	if err := info.BuildFromFilePath(filepath.Join(data, "payload.bin")); err != nil {
		t.Fatal(err)
	}
	infoBytes, err := bencode.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	ih := metainfo.HashBytes(infoBytes)

	open := func() (tstorage.ClientImplCloser, tstorage.TorrentImpl) {
		client := tstorage.NewFileOpts(tstorage.NewFileClientOpts{
			ClientBaseDir:   data,
			PieceCompletion: db.PieceCompletion(),
			UsePartFiles:    g.Some(false),
		})
		tor, err := client.OpenTorrent(context.Background(), &info, ih)
		if err != nil {
			t.Fatal(err)
		}
		return client, tor
	}
	client, tor := open()
	for i := range info.NumPieces() {
		if c := tor.Piece(info.Piece(i)).Completion(); c.Ok {
			t.Fatalf("piece %d known before verification: %+v", i, c)
		}
		if err := tor.Piece(info.Piece(i)).MarkComplete(); err != nil {
			t.Fatal(err)
		}
	}
	if err := tor.Close(); err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil { // closes db.PieceCompletion()
		t.Fatal(err)
	}

	if c, i, err := db.PieceCompletion().Counts(ih.HexString()); err != nil || c != info.NumPieces() || i != 0 {
		t.Fatalf("after storage close: %d complete, %d incomplete, %v", c, i, err)
	}
	client, tor = open()
	defer client.Close()
	defer tor.Close()
	states := make([]string, info.NumPieces())
	for i := range states {
		states[i] = state(t, tor.Piece(info.Piece(i)).Completion())
	}
	if want := slices.Repeat([]string{"1"}, info.NumPieces()); !slices.Equal(states, want) {
		t.Errorf("reopened storage sees %v, want all complete", states)
	}
}
