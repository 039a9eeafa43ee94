//go:build !windows

package app

import (
	"errors"
	"syscall"
)

// isStale reports a socket file nobody listens on.
func isStale(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// isAddrInUse reports that another process bound the socket first.
func isAddrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
