package engine

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"

	"fairshare/storage"
)

func unmarshalInfo(b []byte, info *metainfo.Info) error {
	if err := bencode.Unmarshal(b, info); err != nil {
		return fmt.Errorf("stored metadata is damaged (%v); remove the torrent and add it again", err)
	}
	return nil
}

// reconcile turns the pieces of files that vanished or shrank while we were
// stopped to "unknown", so anacrolix re-verifies them instead of trusting
// stale completion: data that is still there is kept, only what is missing
// is fetched again.
func (s *Session) reconcile(rec storage.Torrent, infoBytes []byte) error {
	var info metainfo.Info
	if err := unmarshalInfo(infoBytes, &info); err != nil {
		return err
	}
	for _, r := range missingRanges(rec.SaveDir, &info) {
		if err := s.db.PieceCompletion().Forget(rec.InfoHash, r[0], r[1]); err != nil {
			return fmt.Errorf("updating piece state in %s: %w", s.db.Path(), err)
		}
	}
	return nil
}

// missingRanges lists [begin, end) piece ranges whose bytes are not on disk.
func missingRanges(saveDir string, info *metainfo.Info) (ranges [][2]int) {
	var offset int64
	for _, f := range info.UpvertedFiles() {
		have := fileSize(torrentFilePath(saveDir, info, f))
		if have < f.Length {
			begin := int((offset + have) / info.PieceLength)
			end := int((offset + f.Length + info.PieceLength - 1) / info.PieceLength)
			ranges = append(ranges, [2]int{begin, end})
		}
		offset += f.Length
	}
	return ranges
}

// torrentFilePath is where anacrolix's file storage keeps a torrent file.
func torrentFilePath(saveDir string, info *metainfo.Info, f metainfo.FileInfo) string {
	if len(info.Files) == 0 {
		return filepath.Join(saveDir, info.BestName())
	}
	return filepath.Join(append([]string{saveDir, info.BestName()}, f.BestPath()...)...)
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return fi.Size()
}
