package cli_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"fairshare/storage"
)

// TestResumeAfterSIGKILL: a get killed half way keeps its verified pieces;
// the next run with the same home fetches only the rest from the source.
//
// The get uses the publisher's magnet without its web seed (ws=) and
// .torrent URL (xs=), so the source's only channel is its seeding peer and
// its byte counter measures exactly what the resumed get asked for. With
// the web seed in play the source sends most ranges twice whatever the
// resume does (see TestSourceServesEachByteOnce), which would drown the
// figure this test is about in megabytes of noise.
func TestResumeAfterSIGKILL(t *testing.T) {
	t.Parallel()
	const (
		size     = 16 << 20
		pieceLen = 262144
	)
	src := filepath.Join(t.TempDir(), "resume.bin")
	writeRandomFile(t, src, size, 3)
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()

	pub := startPublish(t, src, "--piece-length", strconv.Itoa(pieceLen))
	pub.waitSeeding(60 * time.Second)
	magnet := peerOnlyMagnet(t, pub.magnet)

	// Kill once 70% of the payload has arrived. Not on `done`: it counts
	// verified pieces only, and a capped download has many pieces in
	// flight at once, so `done` lags and then jumps (at 1 MiB/s it read
	// 56% with 88% received, then 100% a second later), and a kill keyed
	// to it often came too late. At 70% received, about half the file is
	// verified and 4.8 MiB (5 s) is still to fetch.
	const killAt = size * 7 / 10
	first := startCLI(t, getArgs(magnet, home, dir, "--down-limit", "1024")...)
	var atKill getStatus
	first.waitLines(60*time.Second, "70% received", func(lines []string) bool {
		if len(lines) == 0 {
			return false
		}
		atKill = decodeLines[getStatus](t, lines[len(lines)-1:])[0]
		return atKill.BytesDownloaded >= killAt
	})
	first.kill()
	killedAt := time.Now()
	if atKill.Complete || atKill.Done >= size {
		t.Fatalf("the capped get completed before it could be killed (done=%d): --down-limit did not hold", atKill.Done)
	}
	firstLines := decodeLines[getStatus](t, first.Lines())
	// What the killed run had verified, straight from its state file.
	verified := verifiedBytes(t, home, atKill.InfoHash, pieceLen)

	b1 := pub.statusAfter(killedAt.Add(2*time.Second), 15*time.Second)

	second := runCLI(t, getTimeout, getArgs(magnet, home, dir)...)
	final := assertCompleteGet(t, second, size, 0)
	d := decodeLines[getStatus](t, second.lines[:1])[0].Done
	if got, want := sha256File(t, filepath.Join(dir, "resume.bin")), sha256File(t, src); got != want {
		t.Errorf("sha256 of the resumed download %s, want %s", got, want)
	}
	b2 := pub.statusAfter(time.Now().Add(time.Second), 15*time.Second)

	t.Logf("piece size %d, size %d; killed at done=%d (%.1f%%) after %d status lines; %d bytes (%d pieces) verified in the state file",
		pieceLen, size, atKill.Done, 100*float64(atKill.Done)/size, len(firstLines), verified, verified/pieceLen)
	t.Logf("B1=%d (peer %d + web seed %d), B2=%d (peer %d + web seed %d), B2-B1=%d",
		b1.SourceBytes, b1.PeerBytes, b1.WebSeedBytes, b2.SourceBytes, b2.PeerBytes, b2.WebSeedBytes,
		b2.SourceBytes-b1.SourceBytes)
	t.Logf("D=%d (%.1f%%) verified at restart; restart downloaded %d (size-D=%d) in %.1fs; bound (size-D)+2 pieces=%d",
		d, 100*float64(d)/size, final.BytesDownloaded, size-d, final.Seconds, size-d+2*pieceLen)

	if d != verified {
		t.Errorf("restart began with D=%d verified bytes, but the state file recorded %d at the kill", d, verified)
	}
	if d < size*4/10 {
		t.Errorf("restart began with D=%d verified bytes, want ≥ 40%% of %d: verified pieces were lost", d, size)
	}
	if delta, bound := b2.SourceBytes-b1.SourceBytes, size-d+2*pieceLen; delta > bound {
		t.Errorf("the source served %d bytes for the resumed get, want ≤ (size-D)+2 pieces = %d "+
			"(peer %d, web seed %d)", delta, bound, b2.PeerBytes-b1.PeerBytes, b2.WebSeedBytes-b1.WebSeedBytes)
	}
	if final.BytesDownloaded > size-d+pieceLen {
		t.Errorf("the resumed get downloaded %d bytes, want ≤ size-D+1 piece = %d", final.BytesDownloaded, size-d+pieceLen)
	}
}

// verifiedBytes is how many bytes of a torrent the state file in home
// records as verified, for a torrent whose size is a multiple of pieceLen.
func verifiedBytes(t *testing.T, home, infoHash string, pieceLen int64) int64 {
	t.Helper()
	db, err := storage.Open(home)
	if err != nil {
		t.Fatalf("opening the state after the kill: %v", err)
	}
	defer db.Close()
	complete, _, err := db.PieceCompletion().Counts(infoHash)
	if err != nil {
		t.Fatal(err)
	}
	return int64(complete) * pieceLen
}

// peerOnlyMagnet drops a magnet's web seeds and .torrent URLs, leaving the
// info hash, name and trackers.
func peerOnlyMagnet(t *testing.T, magnet string) string {
	t.Helper()
	u, err := url.Parse(magnet)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if len(q["tr"]) == 0 || len(q["ws"]) == 0 {
		t.Fatalf("publish printed a magnet without tracker or web seed: %s", magnet)
	}
	for _, k := range []string{"ws", "xs", "as"} {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// damage describes what a test did to a completed download.
type damage struct {
	rel       string // path below the download folder
	offset    int64  // of the file in the torrent
	size      int64  // its length in the torrent
	remaining int64  // bytes left on disk
}

// refetchBound is what a correct resume downloads again: every piece that
// overlaps a missing byte, in full.
func refetchBound(damaged []damage, pieceLen, total int64) (missing, bound int64) {
	need := map[int64]bool{}
	for _, d := range damaged {
		missing += d.size - d.remaining
		for p := (d.offset + d.remaining) / pieceLen; p*pieceLen < d.offset+d.size; p++ {
			need[p] = true
		}
	}
	for p := range need {
		bound += min(pieceLen, total-p*pieceLen)
	}
	return missing, bound
}

// TestTruncateWhileStopped: files damaged while Fairshare is not running
// are repaired by the next get with the same home, fetching only what is
// missing.
func TestTruncateWhileStopped(t *testing.T) {
	t.Parallel()
	t.Run("single file truncated to a third", func(t *testing.T) {
		t.Parallel()
		const (
			size     = 6<<20 + 777
			pieceLen = 65536
		)
		src := filepath.Join(t.TempDir(), "trunc.bin")
		writeRandomFile(t, src, size, 4)
		home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()
		pub := startPublish(t, src, "--piece-length", strconv.Itoa(pieceLen))
		assertCompleteGet(t, runCLI(t, getTimeout, getArgs(pub.magnet, home, dir)...), size, size)

		got := filepath.Join(dir, "trunc.bin")
		if err := os.Truncate(got, size/3); err != nil {
			t.Fatal(err)
		}
		missing, bound := refetchBound([]damage{{"trunc.bin", 0, size, size / 3}}, pieceLen, size)
		r := runCLI(t, getTimeout, getArgs(pub.magnet, home, dir)...)
		final := assertCompleteGet(t, r, size, missing)
		if got, want := sha256File(t, got), sha256File(t, src); got != want {
			t.Errorf("sha256 after repair %s, want %s", got, want)
		}
		t.Logf("truncated to %d: missing %d, re-downloaded %d (bound %d, +1 piece %d)",
			size/3, missing, final.BytesDownloaded, bound, missing+pieceLen)
		if final.BytesDownloaded > missing+pieceLen {
			t.Errorf("repair downloaded %d bytes, want ≤ missing %d + 1 piece = %d",
				final.BytesDownloaded, missing, missing+pieceLen)
		}
	})
	t.Run("folder with a file deleted and one truncated", func(t *testing.T) {
		t.Parallel()
		const pieceLen = 32768
		root, size := makeFolder(t, t.TempDir(), 500)
		home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()
		pub := startPublish(t, root, "--piece-length", strconv.Itoa(pieceLen))
		assertCompleteGet(t, runCLI(t, getTimeout, getArgs(pub.magnet, home, dir)...), size, size)

		// Offsets in the torrent: files in sorted path order.
		offsets := map[string]int64{}
		sizes := map[string]int64{}
		var off int64
		for _, f := range sortedLayout() {
			offsets[f.rel], sizes[f.rel] = off, f.size
			off += f.size
		}
		del, trunc := "album/disc 1/02 main theme.bin", "album/disc 2/deep/er/03.bin"
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(del))); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(filepath.Join(dir, filepath.FromSlash(trunc)), sizes[trunc]/3); err != nil {
			t.Fatal(err)
		}
		damaged := []damage{
			{del, offsets[del], sizes[del], 0},
			{trunc, offsets[trunc], sizes[trunc], sizes[trunc] / 3},
		}
		missing, bound := refetchBound(damaged, pieceLen, size)

		r := runCLI(t, getTimeout, getArgs(pub.magnet, home, dir)...)
		final := assertCompleteGet(t, r, size, missing)
		assertSameTree(t, root, filepath.Join(dir, "album"))
		t.Logf("deleted %d bytes, truncated %d: missing %d, re-downloaded %d (pieces overlapping the damage: %d)",
			sizes[del], sizes[trunc]-sizes[trunc]/3, missing, final.BytesDownloaded, bound)
		// A deleted file in the middle shares a piece with each neighbour,
		// so the exact bound is the pieces overlapping the damage: at most
		// missing + 2 pieces per damaged file.
		if final.BytesDownloaded > bound {
			t.Errorf("repair downloaded %d bytes, want ≤ %d (the pieces overlapping the %d missing bytes)",
				final.BytesDownloaded, bound, missing)
		}
	})
}

// sortedLayout is folderLayout in torrent order (sorted by path).
func sortedLayout() []struct {
	rel  string
	size int64
} {
	out := append(folderLayout[:0:0], folderLayout...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].rel < out[i].rel {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
