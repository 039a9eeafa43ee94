package cli_test

import (
	"path/filepath"
	"strconv"
	"testing"
)

// TestGetDoneIsVerifiedBytes: `done` (TorrentSnapshot.Done, documented as
// "verified bytes") must only count whole verified pieces, or a restart
// shows less than the killed run last printed. For a single file whose size
// is a multiple of the piece length, done is then a multiple of it too.
func TestGetDoneIsVerifiedBytes(t *testing.T) {
	t.Parallel()
	const (
		size     = 4 << 20
		pieceLen = 262144
	)
	src := filepath.Join(t.TempDir(), "verified.bin")
	writeRandomFile(t, src, size, 1000)
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()
	ws := startWebSeed(t)
	torrent := createWebSeedTorrent(t, ws, src, "--piece-length", strconv.Itoa(pieceLen))

	r := runCLI(t, getTimeout, getArgs(torrent, home, dir, "--down-limit", "1024")...)
	assertCompleteGet(t, r, size, size)
	var partial []int64
	sts := decodeLines[getStatus](t, r.lines)
	for _, st := range sts {
		if st.Done%pieceLen != 0 {
			partial = append(partial, st.Done)
		}
	}
	if len(partial) > 0 {
		t.Errorf("%d of %d status lines report done values that are not whole %d-byte pieces: %v",
			len(partial), len(sts), pieceLen, partial)
	}
}
