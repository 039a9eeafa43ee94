package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"fairshare/engine"
)

// Save writes caps, ratio and the other fields through to the engine and
// keeps fields the dialog does not show.
func TestSettingsDialogWritesThrough(t *testing.T) {
	m, eng := newTestWindow(t, engine.Snapshot{})
	d := m.showSettings()
	d.down.SetText("2048")
	d.up.SetText("512")
	d.ratio.SetText("1.5")
	d.heartbeat.SetText("45")
	d.port.SetText("42069")
	d.onComplete.SetSelected("Keep seeding")
	d.inTray.SetChecked(false)
	test.Tap(findButton(t, m.win, "Save"))

	got := receive(t, eng.saved, "SetSettings")
	want := engine.DefaultSettings("/home/ana/Downloads")
	want.DownLimitKiB, want.UpLimitKiB, want.TargetRatio = 2048, 512, 1.5
	want.HeartbeatPeriod, want.ListenPort = 45*time.Second, 42069
	want.OnComplete, want.KeepInTray = engine.OnCompleteSeed, false
	if got != want {
		t.Fatalf("SetSettings got\n%+v\nwant\n%+v", got, want)
	}
	if m.settings != want {
		t.Error("the window still acts on the old settings")
	}
}

// A non-number is refused with a message, and Save does nothing.
func TestSettingsDialogRefusesBadNumbers(t *testing.T) {
	m, eng := newTestWindow(t, engine.Snapshot{})
	d := m.showSettings()
	d.up.SetText("fast")
	save := findButton(t, m.win, "Save")
	if !save.Disabled() {
		t.Fatal("Save enabled with an invalid upload cap")
	}
	if err := d.up.Validate(); err == nil || !strings.Contains(err.Error(), "whole number of KiB/s") {
		t.Fatalf("validation message %v", err)
	}
	if _, err := d.settings(); err == nil || !strings.HasPrefix(err.Error(), "Upload cap: ") {
		t.Fatalf("settings() error %v", err)
	}
	test.Tap(save)
	select {
	case st := <-eng.saved:
		t.Fatalf("invalid settings saved: %+v", st)
	case <-time.After(100 * time.Millisecond):
	}
	d.up.SetText("-5")
	d.up.SetText("0")
	d.ratio.SetText("0")
	if !save.Disabled() {
		t.Fatal("Save enabled with a zero target ratio")
	}
}

func TestParseDurationAndShortDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"30": 30 * time.Second, "2m": 2 * time.Minute, "1m30s": 90 * time.Second} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for in, want := range map[time.Duration]string{30 * time.Second: "30s", 2 * time.Minute: "2m", time.Hour: "1h", 90 * time.Second: "1m30s"} {
		if got := shortDuration(in); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", in, got, want)
		}
	}
}
