//go:build !linux

package engine

import (
	"net"
	"time"
)

// kernelRTT is Linux only (TCP_INFO); elsewhere there is no TCP RTT.
func kernelRTT(*net.TCPConn) (time.Duration, bool) { return 0, false }
