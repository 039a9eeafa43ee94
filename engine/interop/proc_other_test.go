//go:build !linux

package interop

import "os/exec"

// dieWithParent is Linux-only; elsewhere t.Cleanup and the children's own
// deadlines (lt_peer.py --seconds) have to do.
func dieWithParent(*exec.Cmd) {}
