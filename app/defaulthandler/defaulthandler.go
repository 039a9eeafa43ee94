// Package defaulthandler makes Fairshare the user's default application
// for magnet: links and .torrent files, and tells whether it is. Each OS
// keeps that choice somewhere else (xdg-mime's mimeapps.list, the
// per-user registry, LaunchServices); the per-OS files hide which.
package defaulthandler

import "errors"

// The names the OS integration shares with packaging/: the desktop entry
// of the Linux packages, the bundle ID of the macOS app (FyneApp.toml),
// and the ProgIDs of the Windows installer (packaging/windows/fairshare.nsi).
const (
	DesktopID       = "fairshare.desktop"
	BundleID        = "org.fairshare.app"
	ProgIDMagnet    = "Fairshare.Magnet"
	ProgIDTorrent   = "Fairshare.Torrent"
	MagnetScheme    = "magnet"
	TorrentMIMEType = "application/x-bittorrent"
)

// ErrUnsupported is returned where Fairshare cannot set the default itself.
var ErrUnsupported = errors.New("this system does not let Fairshare set the default for magnet links; choose it in the system settings")

// IsDefault reports whether magnet: links open in Fairshare.
func IsDefault() (bool, error) { return isDefault() }

// MakeDefault registers Fairshare for magnet: links and .torrent files
// for the current user.
func MakeDefault() error { return makeDefault() }
