package app

import (
	"fyne.io/fyne/v2"

	"fairshare/engine"
)

// notifier sends a desktop notification when a torrent finishes
// downloading or runs into an error: the two moments a user with the
// window hidden wants to know about.
type notifier struct {
	prev map[string]engine.TorrentState // nil until the first snapshot
	send func(*fyne.Notification)
}

func newNotifier(send func(*fyne.Notification)) *notifier {
	return &notifier{send: send}
}

// check compares snap with the previous one. The first snapshot only sets
// the baseline, so restarting the app does not replay old news.
func (n *notifier) check(snap engine.Snapshot) {
	if n.prev != nil {
		for _, note := range stateNotifications(n.prev, snap.Torrents) {
			n.send(note)
		}
	}
	n.prev = make(map[string]engine.TorrentState, len(snap.Torrents))
	for _, t := range snap.Torrents {
		n.prev[t.InfoHash] = t.State
	}
}

// stateNotifications lists what changed worth telling since prev.
func stateNotifications(prev map[string]engine.TorrentState, ts []engine.TorrentSnapshot) []*fyne.Notification {
	var out []*fyne.Notification
	for _, t := range ts {
		was, known := prev[t.InfoHash]
		switch {
		case !known:
		case was == engine.StateDownloading && t.State == engine.StateSeeding:
			out = append(out, fyne.NewNotification("Download complete",
				torrentName(t)+" is complete and now seeding to others."))
		case was != engine.StateError && t.State == engine.StateError:
			out = append(out, fyne.NewNotification("Torrent needs attention",
				torrentName(t)+": "+orDash(t.Error)))
		}
	}
	return out
}
