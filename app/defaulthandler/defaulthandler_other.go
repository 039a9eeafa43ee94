//go:build !linux && !windows && !(darwin && cgo)

package defaulthandler

// Elsewhere (the BSDs, a darwin build without cgo) Fairshare only reports
// that it cannot tell or change the default.
func isDefault() (bool, error) { return false, ErrUnsupported }
func makeDefault() error       { return ErrUnsupported }
