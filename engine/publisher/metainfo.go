package publisher

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

// BuildOptions says how Build describes the content.
type BuildOptions struct {
	// PieceLength in bytes; 0 chooses the smallest power of two of at
	// least 32 KiB giving no more than 1500 pieces, capped at 4 MiB.
	// Otherwise it must be a power of two of at least 16 KiB.
	PieceLength int64
	// Trackers are announce URLs (http, https, udp, or ws/wss for a
	// WebTorrent tracker), each in its own tier
	// so clients that honour tiers try them in the given order.
	Trackers []string
	// WebSeeds are BEP 19 URLs (http or https). For a folder they must end
	// with "/" because clients append the torrent name and file path.
	WebSeeds  []string
	CreatedBy string
	Comment   string
}

// opener opens a file for hashing; tests substitute a failing one.
type opener func(path string) (io.ReadCloser, error)

func openFile(path string) (io.ReadCloser, error) { return os.Open(path) }

// Build hashes the file or folder at path into a v1 torrent. A folder
// becomes a multi-file torrent named after it, with its files in sorted
// order; symlinks, special files, empty folders and all-empty content are
// refused with an error saying what to do.
func Build(path string, o BuildOptions) (*metainfo.MetaInfo, error) {
	return build(path, o, openFile)
}

func build(path string, o BuildOptions, open opener) (*metainfo.MetaInfo, error) {
	c, err := scanContent(path)
	if err != nil {
		return nil, err
	}
	if err := checkBuildable(c, path); err != nil {
		return nil, err
	}
	if err := checkURLs(o, c.isDir); err != nil {
		return nil, err
	}
	info, err := buildInfo(c, o.PieceLength, open)
	if err != nil {
		return nil, err
	}
	infoBytes, err := bencode.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("encoding the info dictionary of %s: %w", path, err)
	}
	mi := &metainfo.MetaInfo{
		InfoBytes:    infoBytes,
		CreationDate: time.Now().Unix(),
		CreatedBy:    o.CreatedBy,
		Comment:      o.Comment,
		UrlList:      append(metainfo.UrlList(nil), o.WebSeeds...),
	}
	setTrackers(mi, o.Trackers)
	return mi, nil
}

func checkBuildable(c content, path string) error {
	if len(c.files) == 0 {
		return fmt.Errorf("folder %s has no files: add the files to publish first", path)
	}
	if c.totalSize() == 0 {
		return fmt.Errorf("%s holds no data (every file is empty): there is nothing to download", path)
	}
	return nil
}

// setTrackers puts each tracker in its own tier (the layout most torrent
// creators use) and mirrors the first into "announce" for BEP 3-only clients.
func setTrackers(mi *metainfo.MetaInfo, trackers []string) {
	for _, tr := range trackers {
		mi.AnnounceList = append(mi.AnnounceList, []string{tr})
	}
	if len(trackers) > 0 {
		mi.Announce = trackers[0]
	}
}

func checkURLs(o BuildOptions, isDir bool) error {
	for _, tr := range o.Trackers {
		if err := checkURL(tr, "tracker", "http", "https", "udp", "ws", "wss"); err != nil {
			return err
		}
	}
	for _, ws := range o.WebSeeds {
		if err := checkURL(ws, "web seed", "http", "https"); err != nil {
			return err
		}
		// anacrolix (and BEP 19) only append name/path when the URL ends
		// in "/"; without it a folder's web seed is silently unused.
		if isDir && !strings.HasSuffix(ws, "/") {
			return fmt.Errorf("web seed %q must end with \"/\" for a folder: clients append the folder name and file path to it", ws)
		}
	}
	return nil
}

func checkURL(raw, what string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s URL %q is not a valid URL: %w", what, raw, err)
	}
	for _, s := range schemes {
		if u.Scheme == s && u.Host != "" {
			return nil
		}
	}
	return fmt.Errorf("%s URL %q must be an absolute %s URL", what, raw, strings.Join(schemes, "/"))
}

// buildInfo fills in the info dictionary and hashes the pieces.
func buildInfo(c content, pieceLength int64, open opener) (metainfo.Info, error) {
	if pieceLength == 0 {
		pieceLength = choosePieceLength(c.totalSize())
	} else if err := checkPieceLength(pieceLength); err != nil {
		return metainfo.Info{}, err
	}
	info := metainfo.Info{Name: c.name, PieceLength: pieceLength}
	byRel := make(map[string]string, len(c.files))
	if c.isDir {
		for _, f := range c.files {
			info.Files = append(info.Files, metainfo.FileInfo{Path: f.rel, Length: f.size})
			byRel[strings.Join(f.rel, "/")] = f.osPath
		}
	} else {
		info.Length = c.files[0].size
		byRel[""] = c.files[0].osPath
	}
	err := hashPieces(&info, byRel, open)
	return info, err
}

// hashPieces runs anacrolix's piece hasher. That hasher flattens open errors
// into strings, so the first one is kept here to return it with %w intact.
func hashPieces(info *metainfo.Info, byRel map[string]string, open opener) error {
	var (
		mu      sync.Mutex
		openErr error
	)
	err := info.GeneratePieces(func(fi metainfo.FileInfo) (io.ReadCloser, error) {
		p := byRel[strings.Join(fi.Path, "/")]
		r, err := open(p)
		if err != nil {
			err = statError(p, err)
			mu.Lock()
			if openErr == nil {
				openErr = err
			}
			mu.Unlock()
		}
		return r, err
	})
	if err == nil {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	if openErr != nil {
		return openErr
	}
	return fmt.Errorf("hashing %s failed (did a file change while it was being read? try again): %w", info.Name, err)
}

// WriteTorrentFile writes mi as a .torrent file at path. It writes a
// temporary file next to it and renames it, so readers never see half a file.
func WriteTorrentFile(mi *metainfo.MetaInfo, path string) error {
	b, err := bencode.Marshal(mi)
	if err != nil {
		return fmt.Errorf("encoding the torrent for %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fairshare-*.torrent")
	if err != nil {
		return fmt.Errorf("writing %s: check that the folder exists and is writable: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: is the disk full? %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: is the disk full? %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("making %s readable: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
