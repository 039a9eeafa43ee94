//go:build windows

package app

import (
	"errors"
	"syscall"
)

// Windows 10 (1803) and later support AF_UNIX sockets, so the transport is
// the same as elsewhere; only Winsock's error numbers differ.
const (
	wsaECONNREFUSED = syscall.Errno(10061)
	wsaEADDRINUSE   = syscall.Errno(10048)
)

// isStale reports a socket file nobody listens on.
func isStale(err error) bool {
	return errors.Is(err, wsaECONNREFUSED) || errors.Is(err, syscall.ECONNREFUSED)
}

// isAddrInUse reports that another process bound the socket first.
func isAddrInUse(err error) bool {
	return errors.Is(err, wsaEADDRINUSE) || errors.Is(err, syscall.EADDRINUSE)
}
