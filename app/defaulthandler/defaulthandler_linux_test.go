package defaulthandler

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// isolate points xdg-mime at empty per-test XDG folders and makes it use
// its desktop-neutral code path (mimeapps.list), whatever desktop the
// developer runs.
func isolate(t *testing.T) (config, data, system string) {
	t.Helper()
	if _, err := exec.LookPath("xdg-mime"); err != nil {
		t.Fatal("xdg-mime missing: run packaging/linux/deps.sh (Debian package xdg-utils)")
	}
	root := t.TempDir()
	config, data, system = filepath.Join(root, "config"), filepath.Join(root, "data"), filepath.Join(root, "system")
	for _, d := range []string{config, data, system} {
		if err := os.MkdirAll(filepath.Join(d, "applications"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", root)
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("XDG_DATA_DIRS", system)
	for _, v := range []string{"XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID", "XDG_CONFIG_DIRS"} {
		t.Setenv(v, "")
	}
	return config, data, system
}

func query(t *testing.T, mime string) string {
	t.Helper()
	out, err := exec.Command("xdg-mime", "query", "default", mime).Output()
	if err != nil {
		t.Fatalf("xdg-mime query default %s: %v", mime, err)
	}
	return strings.TrimSpace(string(out))
}

// installOther makes another application the magnet handler. xdg-mime
// reports an entry only if its Exec program exists, hence "true".
func installOther(t *testing.T, system string) {
	t.Helper()
	other := "[Desktop Entry]\nType=Application\nName=Other\nExec=true %u\nMimeType=x-scheme-handler/magnet;application/x-bittorrent;\n"
	if err := os.WriteFile(filepath.Join(system, "applications", "other.desktop"), []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xdg-mime", "default", "other.desktop", "x-scheme-handler/magnet", "application/x-bittorrent").CombinedOutput(); err != nil {
		t.Fatalf("xdg-mime default other.desktop: %v\n%s", err, out)
	}
	if is, err := IsDefault(); err != nil || is {
		t.Fatalf("IsDefault with other.desktop the default = %v, %v; want false, nil", is, err)
	}
}

func TestMakeDefaultTakesOverFromAnotherApp(t *testing.T) {
	config, data, system := isolate(t)
	installOther(t, system)

	if err := MakeDefault(); err != nil {
		t.Fatalf("MakeDefault: %v", err)
	}
	if is, err := IsDefault(); err != nil || !is {
		t.Fatalf("IsDefault after MakeDefault = %v, %v; want true, nil", is, err)
	}
	for _, mime := range []string{"x-scheme-handler/magnet", "application/x-bittorrent"} {
		if got := query(t, mime); got != DesktopID {
			t.Errorf("xdg-mime query default %s = %q, want %q", mime, got, DesktopID)
		}
	}
	list, err := os.ReadFile(filepath.Join(config, "mimeapps.list"))
	if err != nil || !strings.Contains(string(list), "x-scheme-handler/magnet="+DesktopID) {
		t.Errorf("mimeapps.list = %q, %v; want the magnet default recorded there", list, err)
	}

	// Nothing installed fairshare.desktop, so MakeDefault wrote a user entry
	// that starts this very executable.
	entry, err := os.ReadFile(filepath.Join(data, "applications", DesktopID))
	if err != nil {
		t.Fatalf("no user desktop entry: %v", err)
	}
	exe, _ := os.Executable()
	if !strings.Contains(string(entry), "Exec="+quoteExec(exe)+" %u\n") {
		t.Errorf("desktop entry does not start %s:\n%s", exe, entry)
	}
	validate(t, filepath.Join(data, "applications", DesktopID))
}

// With the .deb's entry installed (Exec=fairshare, found on PATH),
// MakeDefault only records the choice.
func TestMakeDefaultUsesTheInstalledEntry(t *testing.T) {
	_, data, system := isolate(t)
	installOther(t, system)
	installed, err := os.ReadFile("../../packaging/linux/fairshare.desktop")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(system, "applications", DesktopID), installed, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "fairshare"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	if err := MakeDefault(); err != nil {
		t.Fatalf("MakeDefault: %v", err)
	}
	if got := query(t, "x-scheme-handler/magnet"); got != DesktopID {
		t.Errorf("magnet handler = %q, want %q", got, DesktopID)
	}
	if _, err := os.Stat(filepath.Join(data, "applications", DesktopID)); !os.IsNotExist(err) {
		t.Errorf("wrote a user desktop entry over the installed one (stat: %v)", err)
	}
}

// An executable in a folder with awkward characters still yields an entry
// the desktop can parse.
func TestDesktopEntryQuotesOddPaths(t *testing.T) {
	for _, c := range []struct{ exe, exec string }{
		{"/usr/bin/fairshare", "/usr/bin/fairshare"},
		{"/home/a b/fairshare", `"/home/a b/fairshare"`},
		{`/opt/$x"y/fair`, `"/opt/\\$x\\"y/fair"`},
	} {
		if got := quoteExec(c.exe); got != c.exec {
			t.Errorf("quoteExec(%q) = %s, want %s", c.exe, got, c.exec)
		}
		path := filepath.Join(t.TempDir(), DesktopID)
		if err := os.WriteFile(path, []byte(desktopEntry(c.exe)), 0o644); err != nil {
			t.Fatal(err)
		}
		validate(t, path)
	}
}

func validate(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath("desktop-file-validate"); err != nil {
		t.Fatal("desktop-file-validate missing: run packaging/linux/deps.sh (Debian package desktop-file-utils)")
	}
	if out, err := exec.Command("desktop-file-validate", path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("desktop-file-validate %s: %v\n%s", path, err, out)
	}
}
