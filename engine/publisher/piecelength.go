package publisher

import "fmt"

const (
	// minPieceLength is the BitTorrent block size: a smaller piece would be
	// smaller than one request, and BEP 52 forbids it.
	minPieceLength int64 = 16 << 10
	// autoMinPieceLength is the smallest automatic choice: every verified
	// piece costs the downloader a durable write to its state file (a few
	// ms), so tiny pieces would throttle fast downloads.
	autoMinPieceLength int64 = 64 << 10
	// maxPieceLength caps the automatic choice: bigger pieces make a peer
	// wait longer before it has anything to share, which matters more than
	// .torrent size on a LAN.
	maxPieceLength int64 = 4 << 20
	// targetPieces keeps the piece hash list (20 bytes each) around 30 KiB,
	// so the .torrent and the metadata exchange stay small.
	targetPieces int64 = 1500
)

// choosePieceLength returns the smallest power of two, at least 64 KiB,
// that splits total bytes into no more than 1500 pieces, capped at 4 MiB.
// Above about 6 GiB the cap wins and the piece count grows past 1500.
func choosePieceLength(total int64) int64 {
	pl := autoMinPieceLength
	for pl < maxPieceLength && (total+pl-1)/pl > targetPieces {
		pl <<= 1
	}
	return pl
}

// checkPieceLength validates a caller-chosen piece length. Clients assume a
// power of two (BEP 52 requires it) and never less than one block.
func checkPieceLength(pl int64) error {
	if pl < minPieceLength || pl&(pl-1) != 0 {
		return fmt.Errorf("piece length %d is not a power of two of at least 16 KiB: use 0 to let fairshare choose", pl)
	}
	return nil
}
