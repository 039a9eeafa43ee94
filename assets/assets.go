// Package assets holds the files the desktop app ships inside its binary.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

// iconPNG is drawn by icon_gen.go; regenerate with `go run assets/icon_gen.go`.
//
//go:embed icon.png
var iconPNG []byte

// Icon is the application icon, used for the window, the tray and
// notifications.
var Icon fyne.Resource = fyne.NewStaticResource("icon.png", iconPNG)
