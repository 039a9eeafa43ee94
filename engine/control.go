package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/metainfo"
)

// Pause stops a torrent's transfers and connections, and remembers it
// across restarts.
func (s *Session) Pause(infoHash string) error {
	h, err := s.setPaused(infoHash, true)
	if err != nil {
		return err
	}
	s.halt(h)
	s.refresh()
	return nil
}

// Resume restarts a paused (or not yet started) torrent.
func (s *Session) Resume(infoHash string) error {
	h, err := s.setPaused(infoHash, false)
	if err != nil {
		return err
	}
	err = s.start(h)
	s.refresh()
	return err
}

// setPaused records whether a torrent is paused, in memory and on disk.
func (s *Session) setPaused(infoHash string, paused bool) (*handle, error) {
	h, err := s.lookup(infoHash)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	h.rec.Paused = paused
	rec := h.rec
	s.mu.Unlock()
	if err := s.db.PutTorrent(rec); err != nil {
		return nil, fmt.Errorf("saving the paused state: %w", err)
	}
	return h, nil
}

// halt drops a running torrent from the client after banking its counters.
func (s *Session) halt(h *handle) {
	s.mu.Lock()
	t := h.t
	h.t = nil
	s.mu.Unlock()
	if t == nil {
		return
	}
	s.sampleMu.Lock()
	s.accrue(h, t)
	s.flushHandle(h)
	s.sampleMu.Unlock()
	t.Drop()
	<-t.Closed()
}

// Remove drops a torrent and forgets it; with deleteData its files go too.
func (s *Session) Remove(infoHash string, deleteData bool) error {
	h, err := s.lookup(infoHash)
	if err != nil {
		return err
	}
	s.halt(h)
	info, _ := s.db.InfoBytes(infoHash)
	s.mu.Lock()
	delete(s.torrents, h.ih)
	rec := h.rec
	s.mu.Unlock()
	if err := s.db.DeleteTorrent(infoHash); err != nil {
		return fmt.Errorf("removing the torrent from %s: %w", s.db.Path(), err)
	}
	s.refresh()
	if deleteData && info != nil {
		return deleteFiles(rec.SaveDir, info)
	}
	return nil
}

// deleteFiles removes exactly the torrent's files and then the folders it
// created, if they are empty: never anything else in saveDir.
func deleteFiles(saveDir string, infoBytes []byte) error {
	var info metainfo.Info
	if err := unmarshalInfo(infoBytes, &info); err != nil {
		return err
	}
	var errs []error
	for _, f := range info.UpvertedFiles() {
		p := torrentFilePath(saveDir, &info, f)
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(info.Files) > 0 {
		removeEmptyDirs(filepath.Join(saveDir, info.BestName()))
	}
	return errors.Join(errs...)
}

func removeEmptyDirs(root string) {
	var dirs []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, as wanted, when not empty
	}
}

// Recheck re-verifies every piece of a running torrent against its hashes,
// in the background.
func (s *Session) Recheck(infoHash string) error {
	h, err := s.lookup(infoHash)
	if err != nil {
		return err
	}
	s.mu.Lock()
	t, name := h.t, h.rec.Name
	s.mu.Unlock()
	if t == nil {
		return fmt.Errorf("resume %s before rechecking it", displayName(name, infoHash))
	}
	if !h.checking.CompareAndSwap(false, true) {
		return nil
	}
	s.wg.Add(1)
	go s.verify(h, t)
	return nil
}

func (s *Session) verify(h *handle, t *torrent.Torrent) {
	defer s.wg.Done()
	defer h.checking.Store(false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.stop:
		case <-t.Closed():
		case <-ctx.Done():
		}
		cancel()
	}()
	select {
	case <-t.GotInfo():
	case <-ctx.Done():
		return
	}
	if err := t.VerifyDataContext(ctx); err != nil && ctx.Err() == nil {
		s.fail(h, fmt.Errorf("rechecking: %w", err))
	}
}
