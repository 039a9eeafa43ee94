package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"fairshare/engine"
)

// openFolder shows dir in the platform's file manager. It uses the OS
// opener rather than Fyne's OpenURL, which on Linux may hand a file: URL to
// a browser.
func openFolder(dir string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("explorer", filepath.Clean(dir))
	case "darwin":
		cmd = exec.Command("open", dir)
	default:
		cmd = exec.Command("xdg-open", dir)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	// Reap the opener; its exit status is meaningless (explorer returns 1
	// on success).
	go cmd.Wait()
	return nil
}

// torrentFolder is the torrent's own folder when it has one (multi-file
// torrents), else the folder its file was saved in.
func torrentFolder(t engine.TorrentSnapshot) string {
	if t.Name != "" {
		p := filepath.Join(t.SaveDir, filepath.FromSlash(t.Name))
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
	}
	return t.SaveDir
}
