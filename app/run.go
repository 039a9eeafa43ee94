package app

import (
	"fmt"
	"log"
	"os"
	"runtime/debug"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"fairshare/app/urlevent"
	"fairshare/assets"
	"fairshare/engine"
)

// AppID identifies Fairshare to the OS (preferences, notifications); it
// matches FyneApp.toml.
const AppID = "org.fairshare.app"

// Options configure Run.
type Options struct {
	// Home holds the engine's state; "" means the default. When set, the
	// single-instance socket lives there too.
	Home    string
	Version string
	// Args are magnet links or .torrent paths/URLs to add.
	Args []string
	// ListenAddr overrides the listen port from settings ("host:port").
	ListenAddr string
}

// Run starts the desktop app and returns when it quits. If Fairshare is
// already running, Run hands Args to it, asks it to show its window, and
// returns nil at once.
func Run(o Options) error {
	tuneGC()
	inst, forwarded, err := startInstance(o)
	if forwarded || err != nil {
		return err
	}
	if inst != nil {
		defer inst.close()
	}
	sess, err := engine.Open(engine.Config{Home: o.Home, Version: o.Version, ListenAddr: o.ListenAddr})
	if err != nil {
		return fmt.Errorf("start the engine: %w", err)
	}
	// The version shows in About; fyne package would set it from FyneApp.toml,
	// but plain go build leaves it at Fyne's default.
	fyneapp.SetMetadata(fyne.AppMetadata{ID: AppID, Name: "Fairshare", Version: o.Version, Icon: assets.Icon})
	urlevent.Install() // macOS: clicked magnet links arrive as Apple events
	runWindow(fyneapp.NewWithID(AppID), sess, inst, o.Args)
	return sess.Close()
}

// tuneGC trades a little CPU for memory: the app idles for days in the
// background, where resident memory is what users notice, and at the
// default GOGC=100 the heap grows to twice its live size between
// collections (about 11 MiB more resident in the screenshot test). A GOGC
// set by the user wins.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
}

// startInstance claims the single-instance socket, or forwards to the
// owner. Failing to claim it (odd permissions, a path too long for a
// socket) is logged, not fatal: the app then simply runs unshared.
func startInstance(o Options) (*instanceServer, bool, error) {
	path, err := socketPath(o.Home)
	if err != nil {
		log.Printf("fairshare: no single-instance socket: %v", err)
		return nil, false, nil
	}
	inst, forwarded, err := claimInstance(path, absSources(o.Args))
	if forwarded {
		if err != nil {
			return nil, true, fmt.Errorf("hand over to the running Fairshare: %w", err)
		}
		return nil, true, nil
	}
	if err != nil {
		log.Printf("fairshare: running without single-instance socket: %v", err)
		return nil, false, nil
	}
	return inst, false, nil
}

// runWindow shows the main window on eng and runs the Fyne event loop
// until the user quits.
func runWindow(a fyne.App, eng Engine, inst *instanceServer, args []string) {
	a.SetIcon(assets.Icon)
	m := newMainWindow(a, eng)
	if inst != nil {
		inst.serve(func(r request) { fyne.Do(func() { m.handleRequest(r) }) })
	}
	// Links from Apple events take the same path as a second launch's.
	urlevent.Handle(func(url string) {
		fyne.Do(func() { m.handleRequest(request{sources: []string{url}, show: true}) })
	})
	m.start()
	if len(args) > 0 {
		m.addSources(args)
	}
	a.Run()
	m.stop()
}

// handleRequest serves a second launch: add what it was given and come to
// the front.
func (m *mainWindow) handleRequest(r request) {
	if len(r.sources) > 0 {
		m.addSources(r.sources)
	}
	if r.show {
		m.showWindow()
	}
}
