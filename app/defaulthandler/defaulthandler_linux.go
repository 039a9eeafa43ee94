package defaulthandler

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// mimeTypes are what Fairshare's desktop entry claims.
var mimeTypes = []string{"x-scheme-handler/" + MagnetScheme, TorrentMIMEType}

func isDefault() (bool, error) {
	out, err := xdgMime("query", "default", mimeTypes[0])
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(out) == DesktopID, nil
}

// makeDefault records fairshare.desktop as the default in the user's
// mimeapps.list. xdg-mime stores only the desktop file's name, so when
// Fairshare runs unpackaged (no fairshare.desktop anywhere) it first writes
// a user desktop entry that starts this executable.
func makeDefault() error {
	if _, found := findDesktopFile(); !found {
		if err := writeUserDesktopFile(); err != nil {
			return err
		}
	}
	_, err := xdgMime(append([]string{"default", DesktopID}, mimeTypes...)...)
	return err
}

func xdgMime(args ...string) (string, error) {
	out, err := exec.Command("xdg-mime", args...).Output()
	if errors.Is(err, exec.ErrNotFound) {
		return "", fmt.Errorf("xdg-mime not found: install xdg-utils: %w", err)
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return "", fmt.Errorf("xdg-mime %s: %s: %w", args[0], strings.TrimSpace(string(ee.Stderr)), err)
		}
		return "", fmt.Errorf("xdg-mime %s: %w", args[0], err)
	}
	return string(out), nil
}

// dataDirs lists where desktop entries live, most specific first
// (XDG Base Directory spec).
func dataDirs() []string {
	home := os.Getenv("XDG_DATA_HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = filepath.Join(h, ".local", "share")
		}
	}
	dirs := os.Getenv("XDG_DATA_DIRS")
	if dirs == "" {
		dirs = "/usr/local/share:/usr/share"
	}
	return append([]string{home}, filepath.SplitList(dirs)...)
}

func findDesktopFile() (string, bool) {
	for _, d := range dataDirs() {
		p := filepath.Join(d, "applications", DesktopID)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

func writeUserDesktopFile() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the Fairshare executable: %w", err)
	}
	path := filepath.Join(dataDirs()[0], "applications", DesktopID)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(desktopEntry(exe)), 0o644); err != nil {
		return fmt.Errorf("write the desktop entry: %w", err)
	}
	return nil
}

// desktopEntry is packaging/linux/fairshare.desktop for an executable
// outside PATH.
func desktopEntry(exe string) string {
	return "[Desktop Entry]\nType=Application\nName=Fairshare\n" +
		"Exec=" + quoteExec(exe) + " %u\nIcon=fairshare\nTerminal=false\n" +
		"Categories=Network;FileTransfer;P2P;\n" +
		"MimeType=" + strings.Join(mimeTypes, ";") + ";\n"
}

// quoteExec quotes a path for an Exec key. The Desktop Entry spec escapes
// twice: ", `, $ and \ get a backslash inside double quotes, then every
// backslash is doubled by the string escaping of the file.
func quoteExec(s string) string {
	if !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	return strings.ReplaceAll(`"`+r.Replace(s)+`"`, `\`, `\\`)
}
