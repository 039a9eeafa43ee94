package engine

import (
	"context"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

// maxTorrentFileSize bounds what we read from a .torrent file or URL: real
// ones are far smaller, and a hostile URL must not fill memory.
const maxTorrentFileSize = 32 << 20

// ErrBadSource marks input that is not something Add accepts.
var ErrBadSource = errors.New("bad source")

// source is what Add needs to know about a magnet, file or URL.
type source struct {
	Text      string // as the user gave it
	InfoHash  metainfo.Hash
	InfoBytes []byte // nil for a magnet
	Name      string
	Trackers  []string
	WebSeeds  []string
	Sources   []string // .torrent URLs (magnet xs/as)
	PeerAddrs []string
}

func badSource(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadSource, fmt.Sprintf(format, args...))
}

// ValidateSource explains in one sentence why text is not something Add
// accepts; nil when it looks acceptable. It does no I/O beyond a stat.
func ValidateSource(text string) error {
	text = strings.TrimSpace(text)
	switch sourceKind(text) {
	case "magnet":
		_, err := parseMagnet(text)
		return err
	case "url":
		return validateURL(text)
	default:
		return validateFilePath(text)
	}
}

func sourceKind(text string) string {
	lower := strings.ToLower(text)
	switch {
	case strings.HasPrefix(lower, "magnet:"):
		return "magnet"
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return "url"
	default:
		return "file"
	}
}

// resolveSource turns user input into a source, fetching a .torrent URL.
func resolveSource(ctx context.Context, text string, client *http.Client) (source, error) {
	text = strings.TrimSpace(text)
	switch sourceKind(text) {
	case "magnet":
		return parseMagnet(text)
	case "url":
		return fetchTorrentURL(ctx, text, client)
	default:
		return readTorrentFile(text)
	}
}

func parseMagnet(text string) (source, error) {
	u, err := url.Parse(text)
	if err != nil || u.Scheme != "magnet" {
		return source{}, badSource("not a valid magnet link (it must start with magnet:?)")
	}
	q := u.Query()
	var ih metainfo.Hash
	found := false
	for _, xt := range q["xt"] {
		if !strings.HasPrefix(strings.ToLower(xt), "urn:btih:") {
			continue
		}
		if ih, err = decodeInfoHash(xt[len("urn:btih:"):]); err != nil {
			return source{}, err
		}
		found = true
	}
	if !found {
		return source{}, badSource("magnet link has no BitTorrent info hash (xt=urn:btih:…)")
	}
	return source{
		Text:      text,
		InfoHash:  ih,
		Name:      q.Get("dn"),
		Trackers:  q["tr"],
		WebSeeds:  q["ws"],
		Sources:   append(q["xs"], q["as"]...),
		PeerAddrs: q["x.pe"],
	}, nil
}

func decodeInfoHash(s string) (metainfo.Hash, error) {
	var h metainfo.Hash
	var b []byte
	var err error
	switch len(s) {
	case 40:
		b, err = hex.DecodeString(s)
	case 32:
		b, err = base32.StdEncoding.DecodeString(strings.ToUpper(s))
	default:
		return h, badSource("magnet info hash has %d characters; it must be 40 hex or 32 base32 characters", len(s))
	}
	if err != nil || len(b) != len(h) {
		return h, badSource("magnet info hash %q is not valid hex or base32", s)
	}
	copy(h[:], b)
	return h, nil
}

func validateURL(text string) error {
	u, err := url.Parse(text)
	if err != nil || u.Host == "" {
		return badSource("%q is not a valid http(s) URL", text)
	}
	return nil
}

func validateFilePath(text string) error {
	if text == "" {
		return badSource("paste a magnet link, a .torrent file path or an http(s) URL")
	}
	fi, err := os.Stat(text)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return badSource("%q is neither a magnet link nor an existing .torrent file", text)
		}
		return badSource("cannot read %q: %v", text, err)
	}
	if fi.IsDir() {
		return badSource("%q is a folder, not a .torrent file", text)
	}
	return nil
}

func readTorrentFile(path string) (source, error) {
	if err := validateFilePath(path); err != nil {
		return source{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return source{}, badSource("cannot read %q: %v", path, err)
	}
	defer f.Close()
	return parseTorrentBytes(path, io.LimitReader(f, maxTorrentFileSize+1))
}

func fetchTorrentURL(ctx context.Context, rawURL string, client *http.Client) (source, error) {
	if err := validateURL(rawURL); err != nil {
		return source{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return source{}, badSource("%q is not a valid URL: %v", rawURL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return source{}, fmt.Errorf("cannot fetch %s: %w; check the link and your connection", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return source{}, fmt.Errorf("cannot fetch %s: server answered %s", rawURL, resp.Status)
	}
	return parseTorrentBytes(rawURL, io.LimitReader(resp.Body, maxTorrentFileSize+1))
}

func parseTorrentBytes(name string, r io.Reader) (source, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return source{}, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(b) > maxTorrentFileSize {
		return source{}, badSource("%s is larger than %d MiB; it is not a .torrent file", name, maxTorrentFileSize>>20)
	}
	var mi metainfo.MetaInfo
	if err := bencode.Unmarshal(b, &mi); err != nil {
		return source{}, badSource("%s is not a .torrent file (%v)", name, err)
	}
	info, err := mi.UnmarshalInfo()
	if err != nil || len(mi.InfoBytes) == 0 {
		return source{}, badSource("%s is not a .torrent file: its info section is missing or damaged", name)
	}
	if info.PieceLength <= 0 || len(info.Pieces)%20 != 0 || info.TotalLength() < 0 {
		return source{}, badSource("%s is not a valid .torrent file: bad piece layout", name)
	}
	return source{
		Text:      name,
		InfoHash:  mi.HashInfoBytes(),
		InfoBytes: mi.InfoBytes,
		Name:      info.BestName(),
		Trackers:  flattenTiers(mi.UpvertedAnnounceList()),
		WebSeeds:  mi.UrlList,
	}, nil
}

func flattenTiers(tiers [][]string) (out []string) {
	for _, tier := range tiers {
		out = append(out, tier...)
	}
	return out
}
