package app

import "strings"

// pasted handles Ctrl+V on the main window: a magnet (or anything else that
// looks like a source) in the clipboard prefills the add dialog.
func (m *mainWindow) pasted() {
	text := strings.TrimSpace(m.app.Clipboard().Content())
	if !looksLikeSource(text) && m.validate(text) != nil {
		text = ""
	}
	m.showAddDialog(text)
}
