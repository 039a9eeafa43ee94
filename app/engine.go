// Package app is the Fairshare desktop GUI. It never reaches into the
// BitTorrent machinery: it reads immutable engine.Snapshot values and calls
// the handful of Session methods named by Engine.
package app

import (
	"context"

	"fairshare/engine"
)

// Engine is the part of *engine.Session the GUI uses. Keeping it this small
// lets widget tests drive the window with a fake that returns a hand-built
// Snapshot.
type Engine interface {
	Snapshot() engine.Snapshot
	Add(ctx context.Context, source string, o engine.AddOptions) (string, error)
	Remove(infoHash string, deleteData bool) error
	Pause(infoHash string) error
	Resume(infoHash string) error
	Recheck(infoHash string) error
	Settings() engine.Settings
	SetSettings(st engine.Settings) error
}

// The real session must keep satisfying the interface.
var _ Engine = (*engine.Session)(nil)
