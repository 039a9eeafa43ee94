package engine

import (
	"strings"
	"time"
)

// Completion actions: what a torrent does once every piece is verified.
const (
	OnCompleteSeedToRatio = "seed-to-ratio" // seed until the target ratio, then stop
	OnCompleteSeed        = "seed"          // keep seeding
	OnCompleteStop        = "stop"          // stop at once
)

// Settings are the user's choices, persisted in the state file. Changes made
// through Session.SetSettings apply live.
type Settings struct {
	DownloadDir string
	ListenPort  int
	// DownLimitKiB and UpLimitKiB are global caps in KiB/s; 0 is unlimited.
	DownLimitKiB int64
	UpLimitKiB   int64
	// Fairness keeps each torrent's upload:download ratio near TargetRatio
	// by choking uploads, opening them for HeartbeatWindow every
	// HeartbeatPeriod so peers stay alive.
	Fairness        bool
	TargetRatio     float64
	HeartbeatPeriod time.Duration
	HeartbeatWindow time.Duration
	OnComplete      string
	StartMinimised  bool
	// KeepInTray keeps seeding in the system tray when the window closes.
	KeepInTray bool
	// DHT and PortForwarding (UPnP/NAT-PMP) reach beyond the publisher's
	// tracker; both are off unless the user turns them on.
	DHT            bool
	PortForwarding bool
	// ICEServers are the STUN servers WebRTC peers use to find their
	// public address: stun:host:port URLs separated by spaces or commas
	// (a string keeps Settings comparable). Empty means host addresses
	// only, enough on a LAN. Applies at the next start.
	ICEServers string
}

// DefaultSettings are what a new installation starts with.
func DefaultSettings(downloadDir string) Settings {
	return Settings{
		DownloadDir:     downloadDir,
		ListenPort:      42069,
		Fairness:        true,
		TargetRatio:     1.0,
		HeartbeatPeriod: 30 * time.Second,
		HeartbeatWindow: 2 * time.Second,
		OnComplete:      OnCompleteSeedToRatio,
		KeepInTray:      true,
		ICEServers:      strings.Join(DefaultICEServers, " "),
	}
}

// AddOptions tune Session.Add.
type AddOptions struct {
	// SaveDir overrides Settings.DownloadDir for this torrent.
	SaveDir string
	// Paused adds the torrent without starting it.
	Paused bool
}

// ICEServerList splits ICEServers into URLs.
func (st Settings) ICEServerList() []string {
	return strings.FieldsFunc(st.ICEServers, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
}
