package interop

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the child if the test binary dies
// (a panic or go test's -timeout), so no seed or publisher outlives it.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
