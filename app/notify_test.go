package app

import (
	"testing"

	"fyne.io/fyne/v2"

	"fairshare/engine"
)

func TestStateNotifications(t *testing.T) {
	ts := func(state engine.TorrentState) []engine.TorrentSnapshot {
		return []engine.TorrentSnapshot{{InfoHash: "h", Name: "Atlas", State: state, Error: "disk full"}}
	}
	for _, c := range []struct {
		from, to engine.TorrentState
		want     string
	}{
		{engine.StateDownloading, engine.StateSeeding, "Download complete"},
		{engine.StateDownloading, engine.StateError, "Torrent needs attention"},
		{engine.StateSeeding, engine.StateError, "Torrent needs attention"},
		{engine.StateChecking, engine.StateSeeding, ""}, // a recheck is not news
		{engine.StateError, engine.StateError, ""},
		{engine.StateSeeding, engine.StatePaused, ""},
	} {
		got := stateNotifications(map[string]engine.TorrentState{"h": c.from}, ts(c.to))
		title := ""
		if len(got) == 1 {
			title = got[0].Title
		}
		if len(got) > 1 || title != c.want {
			t.Errorf("%s -> %s: %v, want %q", c.from, c.to, got, c.want)
		}
	}
}

// The first snapshot is a baseline: no notifications replayed at start.
func TestNotifierBaseline(t *testing.T) {
	var sent []*fyne.Notification
	n := newNotifier(func(x *fyne.Notification) { sent = append(sent, x) })
	t1 := engine.TorrentSnapshot{InfoHash: "h", Name: "Atlas", State: engine.StateError}
	n.check(engine.Snapshot{Torrents: []engine.TorrentSnapshot{t1}})
	if len(sent) != 0 {
		t.Fatal("notified on the first snapshot")
	}
	t1.State = engine.StateDownloading
	n.check(engine.Snapshot{Torrents: []engine.TorrentSnapshot{t1}})
	t1.State = engine.StateSeeding
	n.check(engine.Snapshot{Torrents: []engine.TorrentSnapshot{t1}})
	if len(sent) != 1 || sent[0].Content != "Atlas is complete and now seeding to others." {
		t.Fatalf("sent %v", sent)
	}
}
