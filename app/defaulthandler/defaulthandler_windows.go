package defaulthandler

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// The keys match packaging/windows/fairshare.nsi, so that Settings repairs
// what the installer wrote (or registers a portable copy).
const (
	classesKey      = `Software\Classes`
	capabilitiesKey = `Software\Fairshare\Capabilities`
	userChoiceKey   = `Software\Microsoft\Windows\Shell\Associations\UrlAssociations\magnet\UserChoice`
)

// isDefault follows Windows' own lookup: a choice the user made in
// Settings wins; otherwise the magnet class decides.
func isDefault() (bool, error) {
	if prog, ok := readString(registry.CURRENT_USER, userChoiceKey, "ProgId"); ok {
		return prog == ProgIDMagnet, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return false, fmt.Errorf("find the Fairshare executable: %w", err)
	}
	cmd, ok := readString(registry.CURRENT_USER, classesKey+`\magnet\shell\open\command`, "")
	if !ok {
		cmd, _ = readString(registry.LOCAL_MACHINE, classesKey+`\magnet\shell\open\command`, "")
	}
	return strings.EqualFold(cmd, openCommand(exe)), nil
}

// makeDefault writes the per-user classes and Default Programs
// capabilities. Windows 8 and later protect the user's own choice (a
// hashed UserChoice key no program may write), so if another program holds
// it, Settings' Default apps page opens for the user to pick Fairshare.
func makeDefault() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the Fairshare executable: %w", err)
	}
	if err := register(exe); err != nil {
		return fmt.Errorf("register Fairshare in the registry: %w", err)
	}
	notifyAssociationsChanged()
	if prog, ok := readString(registry.CURRENT_USER, userChoiceKey, "ProgId"); ok && prog != ProgIDMagnet {
		exec.Command("explorer.exe", "ms-settings:defaultapps").Start()
		return errors.New("Windows keeps your choice of app for magnet links: pick Fairshare for MAGNET in Settings → Default apps")
	}
	return nil
}

func register(exe string) error {
	icon := `"` + exe + `",0`
	vals := []struct{ key, name, value string }{
		{classesKey + `\magnet`, "", "URL:Magnet link"},
		{classesKey + `\magnet`, "URL Protocol", ""},
		{classesKey + `\` + ProgIDMagnet, "", "URL:Magnet link"},
		{classesKey + `\` + ProgIDMagnet, "URL Protocol", ""},
		{classesKey + `\` + ProgIDTorrent, "", "BitTorrent file"},
		{classesKey + `\.torrent`, "", ProgIDTorrent},
		{classesKey + `\.torrent`, "Content Type", TorrentMIMEType},
		{classesKey + `\.torrent\OpenWithProgids`, ProgIDTorrent, ""},
		{capabilitiesKey, "ApplicationName", "Fairshare"},
		{capabilitiesKey, "ApplicationDescription", "Download and share publisher swarms over BitTorrent"},
		{capabilitiesKey, "ApplicationIcon", icon},
		{capabilitiesKey + `\URLAssociations`, MagnetScheme, ProgIDMagnet},
		{capabilitiesKey + `\FileAssociations`, ".torrent", ProgIDTorrent},
		{`Software\RegisteredApplications`, "Fairshare", capabilitiesKey},
	}
	for _, class := range []string{"magnet", ProgIDMagnet, ProgIDTorrent} {
		vals = append(vals,
			struct{ key, name, value string }{classesKey + `\` + class + `\DefaultIcon`, "", icon},
			struct{ key, name, value string }{classesKey + `\` + class + `\shell\open\command`, "", openCommand(exe)})
	}
	for _, v := range vals {
		if err := writeString(v.key, v.name, v.value); err != nil {
			return err
		}
	}
	return nil
}

// openCommand is how Windows starts Fairshare with a link or file.
func openCommand(exe string) string { return `"` + exe + `" "%1"` }

func writeString(path, name, value string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, path, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf(`HKCU\%s: %w`, path, err)
	}
	defer k.Close()
	if err := k.SetStringValue(name, value); err != nil {
		return fmt.Errorf(`HKCU\%s %q: %w`, path, name, err)
	}
	return nil
}

func readString(root registry.Key, path, name string) (string, bool) {
	k, err := registry.OpenKey(root, path, registry.QUERY_VALUE)
	if err != nil {
		return "", false
	}
	defer k.Close()
	v, _, err := k.GetStringValue(name)
	return v, err == nil
}

// notifyAssociationsChanged tells Explorer to reread the associations
// (SHChangeNotify with SHCNE_ASSOCCHANGED).
func notifyAssociationsChanged() {
	const shcneAssocChanged = 0x08000000
	windows.NewLazySystemDLL("shell32.dll").NewProc("SHChangeNotify").Call(shcneAssocChanged, 0, 0, 0)
}
