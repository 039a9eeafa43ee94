package app

import (
	"fmt"
	"path/filepath"
	"strings"
)

// sourcesIn splits text into sources, one per non-blank line, so several
// magnets can be pasted at once.
func sourcesIn(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if s := strings.TrimSpace(line); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// checkSources validates every source in text and explains the first
// problem in one sentence, naming the line when there are several.
func checkSources(text string, validate func(string) error) ([]string, error) {
	sources := sourcesIn(text)
	if len(sources) == 0 {
		return nil, fmt.Errorf("paste a magnet link, or the path or URL of a .torrent file")
	}
	for i, s := range sources {
		if err := validate(s); err != nil {
			if len(sources) > 1 {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			return nil, err
		}
	}
	return sources, nil
}

// isRemote tells magnet links and URLs from file paths.
func isRemote(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "magnet:") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// looksLikeSource is a cheap guess used to decide whether clipboard text is
// worth prefilling the add dialog with.
func looksLikeSource(s string) bool {
	return isRemote(s) || strings.HasSuffix(strings.ToLower(s), ".torrent")
}

// absSources makes file paths absolute: a path forwarded from a second
// instance was relative to that process's working directory.
func absSources(sources []string) []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s
		if !isRemote(s) {
			if abs, err := filepath.Abs(s); err == nil {
				out[i] = abs
			}
		}
	}
	return out
}
