package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/metainfo"

	"fairshare/storage"
)

// Add adds a torrent from a magnet URI, a .torrent file path or an
// http(s) URL of a .torrent file, and returns its info hash. Nothing is
// stored when the input is bad.
func (s *Session) Add(ctx context.Context, text string, o AddOptions) (string, error) {
	src, err := resolveSource(ctx, text, s.http)
	if err != nil {
		return "", err
	}
	if src.InfoBytes != nil && sourceKind(src.Text) == "file" {
		if abs, err := filepath.Abs(src.Text); err == nil {
			src.Text = abs
		}
	}
	saveDir, err := s.saveDir(o)
	if err != nil {
		return "", err
	}
	if err := checkWritableDir(saveDir); err != nil {
		return "", err
	}
	return s.addSource(src, saveDir, o.Paused, false)
}

// AddPublished seeds content that is complete on disk: mi describes the
// file or folder named mi's info name inside dir. The torrent is the
// publisher's own, exempt from fairness.
func (s *Session) AddPublished(mi *metainfo.MetaInfo, dir string) (string, error) {
	info, err := mi.UnmarshalInfo()
	if err != nil {
		return "", fmt.Errorf("reading the torrent's info: %w", err)
	}
	src := source{
		Text:      "published:" + filepath.Join(dir, info.BestName()),
		InfoHash:  mi.HashInfoBytes(),
		InfoBytes: mi.InfoBytes,
		Name:      info.BestName(),
		Trackers:  flattenTiers(mi.UpvertedAnnounceList()),
		WebSeeds:  mi.UrlList,
	}
	return s.addSource(src, dir, false, true)
}

func (s *Session) saveDir(o AddOptions) (string, error) {
	dir := o.SaveDir
	if dir == "" {
		dir = s.Settings().DownloadDir
	}
	return filepath.Abs(dir)
}

// checkWritableDir proves we can create files in dir before anything is
// stored, so a bad folder is reported at once and not as a failed piece.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create download folder %s: %w; choose another folder", dir, errors.Unwrap(err))
	}
	f, err := os.CreateTemp(dir, ".fairshare-write-test-*")
	if err != nil {
		return fmt.Errorf("cannot write to download folder %s: %w; choose another folder", dir, errors.Unwrap(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func (s *Session) addSource(src source, saveDir string, paused, publisher bool) (string, error) {
	ih := src.InfoHash.HexString()
	rec := storage.Torrent{
		InfoHash:  ih,
		Source:    src.Text,
		Name:      src.Name,
		SaveDir:   saveDir,
		Added:     time.Now().UTC(),
		Paused:    paused,
		Publisher: publisher,
		Trackers:  src.Trackers,
		WebSeeds:  src.WebSeeds,
	}
	s.mu.Lock()
	if h, ok := s.torrents[src.InfoHash]; ok {
		name := h.rec.Name
		s.mu.Unlock()
		return ih, fmt.Errorf("%w: %s (%s)", ErrDuplicate, displayName(name, ih), ih)
	}
	if err := s.storeNew(rec, src.InfoBytes); err != nil {
		s.mu.Unlock()
		return "", err
	}
	h := newHandle(rec)
	s.torrents[src.InfoHash] = h
	s.mu.Unlock()
	if !paused {
		if err := s.start(h); err != nil {
			return ih, err
		}
	}
	s.refresh()
	return ih, nil
}

func (s *Session) storeNew(rec storage.Torrent, info []byte) error {
	if err := s.db.PutTorrent(rec); err != nil {
		return fmt.Errorf("saving the torrent to %s: %w", s.db.Path(), err)
	}
	if info == nil {
		return nil
	}
	if err := s.db.SetInfoBytes(rec.InfoHash, info); err != nil {
		s.db.DeleteTorrent(rec.InfoHash)
		return fmt.Errorf("saving the torrent to %s: %w", s.db.Path(), err)
	}
	return nil
}

func displayName(name, ih string) string {
	if name != "" {
		return name
	}
	return ih
}

// loadStored re-adds every stored torrent; one that fails to start keeps
// its record and shows the error.
func (s *Session) loadStored() error {
	recs, err := s.db.Torrents()
	if err != nil {
		return fmt.Errorf("reading torrents from %s: %w", s.db.Path(), err)
	}
	for _, rec := range recs {
		h := newHandle(rec)
		s.torrents[h.ih] = h
		if !rec.Paused && !s.cfg.NoAutoStart {
			s.start(h)
		}
	}
	return nil
}

// start adds a handle's torrent to the client.
func (s *Session) start(h *handle) error {
	s.mu.Lock()
	rec := h.rec
	running := h.t != nil
	s.mu.Unlock()
	if running {
		return nil
	}
	info, err := s.db.InfoBytes(rec.InfoHash)
	if err != nil {
		return s.fail(h, fmt.Errorf("reading stored metadata: %w", err))
	}
	if info != nil {
		if err := s.reconcile(rec, info); err != nil {
			return s.fail(h, err)
		}
	}
	t, _, err := s.client.AddTorrentSpec(s.spec(rec, info))
	if err != nil {
		return s.fail(h, fmt.Errorf("starting %s: %w", displayName(rec.Name, rec.InfoHash), err))
	}
	s.addWebSeeds(t, s.servedHere(rec).WebSeeds)
	s.mu.Lock()
	h.t, h.err = t, ""
	s.mu.Unlock()
	t.SetOnWriteChunkError(func(err error) { go s.onWriteError(h, t, err) })
	s.wg.Add(1)
	go s.watch(h, t, info == nil)
	return nil
}

func (s *Session) spec(rec storage.Torrent, info []byte) *torrent.TorrentSpec {
	// No Webseeds here: start adds them under the download cap.
	rec = s.servedHere(rec)
	spec := &torrent.TorrentSpec{DisplayName: rec.Name}
	if len(rec.Trackers) > 0 {
		spec.Trackers = [][]string{rec.Trackers}
	}
	spec.InfoHash = metainfo.NewHashFromHex(rec.InfoHash)
	spec.InfoBytes = info
	spec.Storage = s.fileStorage(rec.SaveDir)
	if m, err := parseMagnet(rec.Source); err == nil {
		spec.PeerAddrs = s.rtt.dialOrder(rec.InfoHash, m.PeerAddrs)
		if info == nil {
			spec.Sources = m.Sources
		}
	}
	return spec
}

// servedHere drops what a publisher serves itself from this process
// (Config.SelfServed): its own HTTP tracker and web seed. WebTorrent
// (ws://, wss://) trackers stay: announcing there is how the source meets
// browsers and other WebRTC peers.
func (s *Session) servedHere(rec storage.Torrent) storage.Torrent {
	if !rec.Publisher || !s.cfg.SelfServed {
		return rec
	}
	var ws []string
	for _, tr := range rec.Trackers {
		if strings.HasPrefix(tr, "ws://") || strings.HasPrefix(tr, "wss://") {
			ws = append(ws, tr)
		}
	}
	rec.Trackers, rec.WebSeeds = ws, nil
	return rec
}

func (s *Session) fail(h *handle, err error) error {
	s.mu.Lock()
	h.err = err.Error()
	s.mu.Unlock()
	s.log.Error("torrent failed", "infohash", h.ih.HexString(), "err", err)
	return err
}

// watch stores the metadata as soon as it arrives, so a restarted magnet
// never waits for it again, then asks for every piece.
func (s *Session) watch(h *handle, t *torrent.Torrent, storeInfo bool) {
	defer s.wg.Done()
	select {
	case <-t.GotInfo():
	case <-t.Closed():
		return
	case <-s.stop:
		return
	}
	if storeInfo {
		s.storeInfo(h, t)
	}
	t.DownloadAll()
}

func (s *Session) storeInfo(h *handle, t *torrent.Torrent) {
	mi := t.Metainfo()
	if err := s.db.SetInfoBytes(h.ih.HexString(), mi.InfoBytes); err != nil {
		s.fail(h, fmt.Errorf("saving metadata to %s: %w", s.db.Path(), err))
		return
	}
	s.mu.Lock()
	h.rec.Name = t.Name()
	rec := h.rec
	s.mu.Unlock()
	if err := s.db.PutTorrent(rec); err != nil {
		s.fail(h, fmt.Errorf("saving the torrent to %s: %w", s.db.Path(), err))
	}
}

// onWriteError stops downloading a torrent whose files cannot be written
// (full disk, folder gone) and tells the user; verified pieces stay.
func (s *Session) onWriteError(h *handle, t *torrent.Torrent, err error) {
	t.DisallowDataDownload()
	s.mu.Lock()
	dir := h.rec.SaveDir
	s.mu.Unlock()
	s.fail(h, fmt.Errorf("cannot write to %s: %w; free some space or choose another folder, then resume", dir, err))
}
