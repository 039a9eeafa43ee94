//go:build demo

// The demo shows the real window on a real driver with a fake engine
// serving a realistic, slowly changing session, for looking at the GUI and
// taking screenshots:
//
//	DISPLAY=:99 DEMO_TAB=Peers go test -tags nosqlite,migrated_fynedo,demo ./app/
//
// DEMO_TAB picks the details tab (default Peers), DEMO_EMPTY=1 shows the
// empty state, DEMO_DIALOG=add|settings|remove opens that dialog, and
// DEMO_SECONDS is how long it stays up (default 8).
package app

import (
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"fairshare/engine"
)

// TestMain runs on the main goroutine, which the GL driver needs, so the
// demo replaces the test run.
func TestMain(*testing.M) {
	a := fyneapp.NewWithID(AppID)
	eng := &demoEngine{fakeEngine: newFakeEngine(engine.Snapshot{}), start: time.Now()}
	eng.empty = os.Getenv("DEMO_EMPTY") == "1"
	m := newMainWindow(a, eng)
	prefillHistory(m, eng)
	m.start()
	go func() {
		time.Sleep(1500 * time.Millisecond)
		fyne.Do(func() { pickDemoView(m) })
		time.Sleep(time.Duration(envInt("DEMO_SECONDS", 8)) * time.Second)
		fyne.Do(a.Quit)
	}()
	a.Run()
	m.stop()
	os.Exit(0)
}

// demoEngine varies the demo rates over time so the speed chart and
// columns look alive.
type demoEngine struct {
	*fakeEngine
	start time.Time
	empty bool
}

func (d *demoEngine) Snapshot() engine.Snapshot { return d.at(time.Now()) }

func (d *demoEngine) at(now time.Time) engine.Snapshot {
	if d.empty {
		return engine.Snapshot{Taken: now, ListenAddr: "0.0.0.0:42069"}
	}
	s := demoSnapshot(now)
	t := now.Sub(d.start).Seconds()
	wave := func(phase float64) float64 {
		return 0.7 + 0.2*math.Sin(t/40+phase) + 0.1*math.Sin(t/9+phase*3)
	}
	s.Torrents[0].DownRate *= wave(0)
	s.Torrents[0].UpRate *= wave(2)
	s.Torrents[1].UpRate *= wave(4)
	s.DownRate = s.Torrents[0].DownRate
	s.UpRate = s.Torrents[0].UpRate + s.Torrents[1].UpRate
	return s
}

// prefillHistory records five minutes of past samples so the chart is full.
func prefillHistory(m *mainWindow, d *demoEngine) {
	now := time.Now()
	for i := historyLen; i > 0; i-- {
		m.history.record(d.at(now.Add(-time.Duration(i) * time.Second)))
	}
}

func pickDemoView(m *mainWindow) {
	if len(m.snap.Torrents) == 0 {
		return
	}
	m.list.table.Select(tableCell(m.list.indexOf(m.snap.Torrents[0].InfoHash)))
	tab := os.Getenv("DEMO_TAB")
	for _, item := range m.details.tabs.Items {
		if item.Text == tab {
			m.details.tabs.Select(item)
		}
	}
	switch os.Getenv("DEMO_DIALOG") {
	case "add":
		m.showAddDialog("magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d5305&dn=Open+Earth+Atlas")
	case "settings":
		d := m.showSettings()
		d.up.SetText("2048 KiB")
	case "remove":
		m.confirmRemove()
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}
