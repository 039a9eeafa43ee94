//go:build !(linux || freebsd || openbsd || netbsd)

package app

// Windows and macOS always have a notification area / menu bar.

func canUseTray() bool  { return true }
func trayIsShown() bool { return true }
