package storage

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/anacrolix/torrent/types/infohash"
)

// infoHashKey normalises a caller's info hash to the 40 lowercase hex
// characters used as key in every bucket. Upper case is accepted because hashes
// pasted from elsewhere often are; anything else is refused so a typo can't
// create a record no torrent will ever find.
func infoHashKey(s string) ([]byte, error) {
	if len(s) != 2*infohash.Size {
		return nil, fmt.Errorf("invalid info hash %q: want %d hex characters", s, 2*infohash.Size)
	}
	lower := strings.ToLower(s)
	if _, err := hex.DecodeString(lower); err != nil {
		return nil, fmt.Errorf("invalid info hash %q: want %d hex characters", s, 2*infohash.Size)
	}
	return []byte(lower), nil
}

// hashKey is infoHashKey for anacrolix's binary hashes, which are always valid.
func hashKey(ih infohash.T) []byte {
	key := make([]byte, 2*infohash.Size)
	hex.Encode(key, ih[:])
	return key
}
