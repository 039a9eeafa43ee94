package engine

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"fairshare/engine/fairness"
	"fairshare/storage"
)

const settingsKey = "settings"

// DefaultDownloadDir is ~/Downloads/Fairshare, or ./Fairshare when the home
// folder is unknown.
func DefaultDownloadDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "Fairshare"
	}
	return filepath.Join(home, "Downloads", "Fairshare")
}

func loadSettings(db *storage.DB) (Settings, error) {
	st := DefaultSettings(DefaultDownloadDir())
	b, ok, err := db.Setting(settingsKey)
	if err != nil || !ok {
		return st, err
	}
	// Unmarshal over the defaults so that fields added by newer versions
	// keep their default values.
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("settings in %s are unreadable (%v); open Settings and save them again", db.Path(), err)
	}
	return st, nil
}

// Validate explains in one sentence what is wrong with st.
func (st Settings) Validate() error {
	switch {
	case st.DownloadDir == "":
		return fmt.Errorf("choose a download folder")
	case st.ListenPort < 0 || st.ListenPort > 65535:
		return fmt.Errorf("listen port %d is not between 0 and 65535", st.ListenPort)
	case st.DownLimitKiB < 0 || st.UpLimitKiB < 0:
		return fmt.Errorf("speed limits cannot be negative (0 means unlimited)")
	case st.Fairness && st.TargetRatio <= 0:
		return fmt.Errorf("target ratio must be above 0 when fairness is on")
	case st.HeartbeatPeriod < 0 || st.HeartbeatWindow < 0:
		return fmt.Errorf("heartbeat times cannot be negative")
	}
	if err := checkICEServers(st.ICEServerList()); err != nil {
		return err
	}
	switch st.OnComplete {
	case OnCompleteSeedToRatio, OnCompleteSeed, OnCompleteStop:
		return nil
	}
	return fmt.Errorf("unknown completion action %q", st.OnComplete)
}

// Settings returns the current settings.
func (s *Session) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// SetSettings persists settings and applies them live. The listen port
// applies at the next start.
func (s *Session) SetSettings(st Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := s.db.PutSetting(settingsKey, b); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	s.mu.Lock()
	s.settings = st
	s.mu.Unlock()
	fairness.SetLimit(s.up, st.UpLimitKiB)
	s.setDownCap(st.DownLimitKiB)
	return nil
}
