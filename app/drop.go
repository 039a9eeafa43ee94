package app

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
)

// dropped adds .torrent files and magnet links dropped onto the window.
// When something dropped does not validate, the add dialog opens with it
// so the user sees why (and can fix a link mangled on the way).
func (m *mainWindow) dropped(_ fyne.Position, uris []fyne.URI) {
	var sources []string
	for _, u := range uris {
		if s := droppedSource(u); s != "" {
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return
	}
	text := strings.Join(sources, "\n")
	if _, err := checkSources(text, m.validate); err == nil {
		m.addSources(sources)
		return
	}
	m.showAddDialog(text)
}

// droppedSource turns a dropped URI into something Add accepts.
func droppedSource(u fyne.URI) string {
	switch u.Scheme() {
	case "magnet", "http", "https":
		return u.String()
	case "file":
		if link := unwrapLink(u.Path()); link != "" {
			return link
		}
		return u.Path()
	}
	return ""
}

// collapsedScheme finds "udp:/host" where a clean-up ate one slash.
var collapsedScheme = regexp.MustCompile(`\b(https?|udp|wss?):/([^/])`)

// unwrapLink recovers a link dragged from a browser. GLFW reports every
// dropped item as a path, and Fyne makes it absolute and cleans it, so a
// magnet arrives as "/cwd/magnet:?xt=…&tr=udp:/tracker…".
func unwrapLink(path string) string {
	for _, start := range []string{"magnet:?", "https:/", "http:/"} {
		if i := strings.Index(path, start); i >= 0 {
			return collapsedScheme.ReplaceAllString(path[i:], "$1://$2")
		}
	}
	return ""
}
