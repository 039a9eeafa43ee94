package publisher

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
)

const (
	// WebSeedPath is where content is served. Put http://host:port/webseed/
	// in the torrent's web seeds (BuildOptions.WebSeeds): the trailing slash
	// makes clients append the torrent name and file path.
	WebSeedPath = "/webseed/"
	// TorrentPath is where the .torrent is served, as <hex info hash>.torrent.
	TorrentPath = "/torrent/"
	// retryAfterSeconds is what a client turned away by MaxConcurrent is
	// told to wait.
	retryAfterSeconds = "10"
)

// ContentOptions tunes NewContentServer.
type ContentOptions struct {
	// MaxConcurrent is how many clients (distinct remote IPs) may download
	// content at once; others get 503 with Retry-After. 0 = unlimited. The
	// .torrent endpoint is never limited.
	MaxConcurrent int
	// Gate, when set, applies the source's threshold and mode: clients
	// it turns away get 503 with Retry-After.
	Gate *Gate
	// Limiter, when set, paces content bytes. Pass the source node's
	// upload limiter so that its cap covers peers and web seed together.
	Limiter *rate.Limiter
}

// ContentServer is an http.Handler serving one torrent's content as a
// BEP 19 web seed under WebSeedPath, and its .torrent under TorrentPath.
type ContentServer struct {
	files       map[string]servedFile
	torrentFile string // "<hex>.torrent"
	torrentName string // offered file name for downloads
	torrent     []byte
	limit       *clientLimit
	gate        *Gate
	limiter     *rate.Limiter
	served      atomic.Int64
}

// NewContentServer serves mi's content from root, the path given to Build
// (the file itself for a single-file torrent, the folder for a folder).
// torrentBytes is what /torrent/ returns; nil encodes mi. It fails if a
// file is missing or no longer matches the torrent.
func NewContentServer(mi *metainfo.MetaInfo, root string, torrentBytes []byte, o ContentOptions) (*ContentServer, error) {
	info, err := mi.UnmarshalInfo()
	if err != nil {
		return nil, fmt.Errorf("reading the torrent's info dictionary: the .torrent may be damaged, rebuild it: %w", err)
	}
	files, err := contentFiles(&info, root)
	if err != nil {
		return nil, err
	}
	if torrentBytes == nil {
		if torrentBytes, err = bencode.Marshal(mi); err != nil {
			return nil, fmt.Errorf("encoding the .torrent: %w", err)
		}
	}
	return &ContentServer{
		files:       files,
		torrentFile: mi.HashInfoBytes().HexString() + ".torrent",
		torrentName: info.BestName() + ".torrent",
		torrent:     torrentBytes,
		limit:       newClientLimit(o.MaxConcurrent),
		gate:        o.Gate,
		limiter:     o.Limiter,
	}, nil
}

// TorrentURLPath is the path of the .torrent for mi, to prefix with
// http://host:port for MagnetOptions.TorrentURL.
func TorrentURLPath(mi *metainfo.MetaInfo) string {
	return TorrentPath + mi.HashInfoBytes().HexString() + ".torrent"
}

// BytesServed is the number of content bytes sent so far (not counting the
// .torrent), for status output.
func (s *ContentServer) BytesServed() int64 { return s.served.Load() }

func (s *ContentServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD are supported", http.StatusMethodNotAllowed)
		return
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, WebSeedPath); ok {
		s.serveContent(w, r, rest)
		return
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, TorrentPath); ok && strings.EqualFold(rest, s.torrentFile) {
		s.serveTorrent(w, r)
		return
	}
	http.NotFound(w, r)
}

func (s *ContentServer) serveTorrent(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-bittorrent")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": s.torrentName}))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.torrent))
}

// serveContent serves one torrent file by exact URL path, with Range
// support. Anything else, directories included, is 404.
func (s *ContentServer) serveContent(w http.ResponseWriter, r *http.Request, rel string) {
	f, ok := s.files[rel]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if s.gate != nil {
		switch s.gate.AllowWebSeed(r) {
		case WebSeedFull:
			unavailable(w, "this source is serving as many clients as it allows; get the data from peers or retry later")
			return
		case WebSeedUsePeers:
			unavailable(w, "this client gets the data over BitTorrent; the web seed is for clients that cannot")
			return
		}
	}
	client := clientOf(r)
	if !s.limit.acquire(client) {
		unavailable(w, "this source is serving as many clients as it allows; retry later")
		return
	}
	defer s.limit.release(client)
	s.serveFile(w, r, f)
}

func (s *ContentServer) serveFile(w http.ResponseWriter, r *http.Request, f servedFile) {
	file, err := os.Open(f.osPath)
	if err != nil {
		http.Error(w, "the publisher cannot read this file any more", http.StatusNotFound)
		return
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil || st.Size() != f.length {
		// Serving changed bytes would only make clients fail hash checks.
		http.Error(w, "the published file changed since the torrent was built", http.StatusConflict)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	var out http.ResponseWriter = countingWriter{w, &s.served}
	if s.limiter != nil {
		keep := func() bool { return true }
		if s.gate != nil {
			keep = func() bool { return s.gate.KeepServing(r) }
		}
		out = pacedWriter{ResponseWriter: w, n: &s.served, limiter: s.limiter, ctx: r.Context(), keep: keep}
	}
	http.ServeContent(out, r, "", st.ModTime(), file)
}

func unavailable(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", retryAfterSeconds)
	http.Error(w, msg, http.StatusServiceUnavailable)
}
