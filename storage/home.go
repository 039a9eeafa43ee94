package storage

import (
	"fmt"
	"os"
	"path/filepath"
)

// FileName is the state file's name inside the Fairshare home folder.
const FileName = "state.db"

// homeEnv lets users (and tests) keep state somewhere other than the config folder,
// e.g. on a portable drive.
const homeEnv = "FAIRSHARE_HOME"

// DefaultHome returns $FAIRSHARE_HOME if set, else os.UserConfigDir()/fairshare.
// The result is absolute so error messages name a findable folder.
func DefaultHome() (string, error) {
	if home := os.Getenv(homeEnv); home != "" {
		abs, err := filepath.Abs(home)
		if err != nil {
			return "", fmt.Errorf("resolving %s=%q: %w; set it to an absolute folder path", homeEnv, home, err)
		}
		return abs, nil
	}
	config, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding your config folder: %w; set %s to the folder Fairshare should keep its state in", err, homeEnv)
	}
	return filepath.Join(config, "fairshare"), nil
}

// prepareHome creates home if needed and returns the state file path in it.
func prepareHome(home string) (string, error) {
	if err := os.MkdirAll(home, 0o700); err != nil {
		return "", fmt.Errorf("cannot create Fairshare folder %s: %w; make sure it can be created there or set %s to another folder", home, err, homeEnv)
	}
	return filepath.Join(home, FileName), nil
}
