//go:build !(darwin && cgo)

package urlevent

// Install does nothing here: links arrive as arguments (Linux desktop
// entries, the Windows registry's "%1") and the single-instance socket
// forwards them.
func Install() {}
