package publisher

import "fmt"

const (
	// minPieceLength is the BitTorrent block size: a smaller piece would be
	// smaller than one request, and BEP 52 forbids it.
	minPieceLength int64 = 16 << 10
	// autoMinPieceLength is the smallest automatic choice. Smaller pieces
	// spread faster (a peer shares a piece only once it has all of it and
	// verified it): in the swarm benchmark's scenario A (2 MiB, ten
	// leechers at 100 KiB/s) 32 KiB pieces finished in 23–25 s against
	// 29–34 s with 64 KiB. Below 32 KiB the gain was gone, while every
	// verified piece costs the downloader a durable write to its state
	// file (a few ms), which throttles fast downloads of tiny pieces.
	autoMinPieceLength int64 = 32 << 10
	// maxPieceLength caps the automatic choice: bigger pieces make a peer
	// wait longer before it has anything to share, which matters more than
	// .torrent size on a LAN.
	maxPieceLength int64 = 4 << 20
	// targetPieces keeps the piece hash list (20 bytes each) around 30 KiB,
	// so the .torrent and the metadata exchange stay small.
	targetPieces int64 = 1500
)

// choosePieceLength returns the smallest power of two, at least 32 KiB,
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
