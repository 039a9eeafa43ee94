package publisher

import (
	"errors"
	"fmt"

	"github.com/anacrolix/torrent/metainfo"
)

// MagnetOptions adds what the torrent itself does not carry.
type MagnetOptions struct {
	// TorrentURL, when set, becomes "xs=" (exact source): where a client can
	// fetch the .torrent. A magnet whose only source is a web seed needs it,
	// because web seeds cannot serve the info dictionary.
	TorrentURL string
}

// Magnet returns a v1 magnet link: xt=urn:btih:<hex>, dn, one tr= per
// tracker, one ws= per web seed, and xs= when o.TorrentURL is set.
func Magnet(mi *metainfo.MetaInfo, o MagnetOptions) (string, error) {
	m, err := mi.MagnetV2()
	if err != nil {
		return "", fmt.Errorf("reading the torrent's info dictionary: the .torrent may be damaged, rebuild it: %w", err)
	}
	if !m.InfoHash.Ok {
		return "", errors.New("the torrent is BitTorrent v2 only and has no v1 info hash: rebuild it with fairshare")
	}
	// Stay v1: a hybrid's btmh would be an extra xt that v1-only clients
	// may reject.
	m.V2InfoHash.Ok = false
	if o.TorrentURL != "" {
		if err := checkURL(o.TorrentURL, ".torrent", "http", "https"); err != nil {
			return "", err
		}
		m.Params.Set("xs", o.TorrentURL)
	}
	return m.String(), nil
}
