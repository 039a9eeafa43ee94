//go:build darwin && cgo

package urlevent

/*
#cgo CFLAGS: -x objective-c -fobjc-arc
#cgo LDFLAGS: -framework Foundation -framework AppKit
void fairshareInstallURLHandler(void);
*/
import "C"

// Install registers the kAEGetURL handler. Call it before Fyne starts the
// Cocoa event loop (before App.Run): the handler is installed at once and
// again when NSApplication is about to finish launching, since that is
// when Cocoa installs its own handlers and when the launching link is
// delivered.
func Install() { C.fairshareInstallURLHandler() }

//export fairshareOpenURL
func fairshareOpenURL(url *C.char) { deliver(C.GoString(url)) }
