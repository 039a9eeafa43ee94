//go:build linux || freebsd || openbsd || netbsd

package app

import "github.com/godbus/dbus/v5"

// On Linux and the BSDs the tray is a StatusNotifierItem on the DBus
// session bus. fyne.io/systray assumes a bus: without one it crashes on
// quit, and without a tray host (stock GNOME has none) a window hidden to
// the tray could never be brought back.

// sessionBus connects to the running session bus, never starting one.
func sessionBus() (*dbus.Conn, error) {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, err
	}
	if err = conn.Auth(nil); err == nil {
		err = conn.Hello()
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// canUseTray reports whether installing a tray icon is safe.
func canUseTray() bool {
	conn, err := sessionBus()
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// trayIsShown reports whether a panel currently displays tray icons, i.e.
// whether hiding the window to the tray leaves the user a way back.
func trayIsShown() bool {
	conn, err := sessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	var owned bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&owned)
	return err == nil && owned
}
