package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// onCompleteChoices maps the words a user reads to the engine's actions.
var onCompleteChoices = []struct{ label, value string }{
	{"Seed until the target ratio, then stop", engine.OnCompleteSeedToRatio},
	{"Keep seeding", engine.OnCompleteSeed},
	{"Stop", engine.OnCompleteStop},
}

// settingsDialog edits engine.Settings. Each number entry has a validator,
// so the form shows why a value is refused and keeps Save disabled.
type settingsDialog struct {
	dlg                   *dialog.FormDialog
	base                  engine.Settings
	dir, port, down, up   *widget.Entry
	ratio, heartbeat      *widget.Entry
	fairness, min, inTray *widget.Check
	onComplete            *widget.Select
	magnet                *magnetDefault
}

func newSettingsDialog(parent fyne.Window, st engine.Settings, save func(engine.Settings)) *settingsDialog {
	d := &settingsDialog{base: st}
	d.dir = widget.NewEntry()
	d.dir.SetText(st.DownloadDir)
	d.port = numberEntry(strconv.Itoa(st.ListenPort), validatePort)
	d.down = numberEntry(strconv.FormatInt(st.DownLimitKiB, 10), validateCap)
	d.up = numberEntry(strconv.FormatInt(st.UpLimitKiB, 10), validateCap)
	d.ratio = numberEntry(strconv.FormatFloat(st.TargetRatio, 'f', -1, 64), validateRatio)
	d.heartbeat = numberEntry(shortDuration(st.HeartbeatPeriod), validateHeartbeat)
	d.fairness = widget.NewCheck("Keep my upload:download ratio near the target", d.fairnessChanged)
	d.onComplete = widget.NewSelect(onCompleteLabels(), nil)
	d.onComplete.SetSelected(onCompleteLabel(st.OnComplete))
	d.min = widget.NewCheck("Start minimised to the tray", nil)
	d.min.SetChecked(st.StartMinimised)
	d.inTray = widget.NewCheck("Keep seeding in the tray when the window closes", nil)
	d.inTray.SetChecked(st.KeepInTray)
	d.fairness.SetChecked(st.Fairness)
	d.fairnessChanged(st.Fairness)
	d.magnet = newMagnetDefault(parent)

	d.dlg = dialog.NewForm("Settings", "Save", "Cancel", d.items(parent), func(ok bool) {
		if !ok {
			return
		}
		st, err := d.settings()
		if err != nil {
			dialog.ShowError(err, parent) // only if a validator was bypassed
			return
		}
		save(st)
	}, parent)
	d.dlg.Resize(fyne.NewSize(620, 560))
	return d
}

func (d *settingsDialog) items(parent fyne.Window) []*widget.FormItem {
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { d.browse(parent) })
	items := []*widget.FormItem{
		{Text: "Download folder", Widget: container.NewBorder(nil, nil, nil, browse, d.dir)},
		{Text: "Listen port", Widget: d.port, HintText: "0 picks a free port; applies at the next start"},
		{Text: "Download cap (KiB/s)", Widget: d.down, HintText: "0 is unlimited; includes web seeds and browser (WebRTC) peers"},
		{Text: "Upload cap (KiB/s)", Widget: d.up, HintText: "0 is unlimited"},
		{Text: "Fairness", Widget: d.fairness},
		{Text: "Target ratio", Widget: d.ratio, HintText: "upload ÷ download, e.g. 1.0"},
		{Text: "Heartbeat period", Widget: d.heartbeat, HintText: "how often choked peers get a moment, e.g. 30s"},
		{Text: "When complete", Widget: d.onComplete},
		{Text: "Startup", Widget: d.min},
		{Text: "Closing", Widget: d.inTray},
		{Text: "Magnet links", Widget: d.magnet.content, HintText: "applies at once, not on Save"},
		{Text: "About", Widget: aboutButton(fyne.CurrentApp(), parent)},
	}
	return items
}

func (d *settingsDialog) browse(parent fyne.Window) {
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			d.dir.SetText(u.Path())
		}
	}, parent)
}

// fairnessChanged greys out the settings that only matter with fairness on.
func (d *settingsDialog) fairnessChanged(on bool) {
	for _, e := range []*widget.Entry{d.ratio, d.heartbeat} {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
}

func numberEntry(text string, validate func(string) error) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.Validator = validate
	return e
}

// settings reads the form back into engine.Settings, starting from the
// settings it was opened with so fields the dialog does not show survive.
func (d *settingsDialog) settings() (engine.Settings, error) {
	st := d.base
	var errs []error
	st.DownloadDir = strings.TrimSpace(d.dir.Text)
	st.ListenPort, errs = parseField(errs, "Listen port", d.port.Text, validatePort, strconv.Atoi)
	st.DownLimitKiB, errs = parseField(errs, "Download cap", d.down.Text, validateCap, parseInt64)
	st.UpLimitKiB, errs = parseField(errs, "Upload cap", d.up.Text, validateCap, parseInt64)
	st.TargetRatio, errs = parseField(errs, "Target ratio", d.ratio.Text, validateRatio, parseFloat)
	st.HeartbeatPeriod, errs = parseField(errs, "Heartbeat period", d.heartbeat.Text, validateHeartbeat, parseDuration)
	st.Fairness = d.fairness.Checked
	st.OnComplete = onCompleteValue(d.onComplete.Selected, st.OnComplete)
	st.StartMinimised = d.min.Checked
	st.KeepInTray = d.inTray.Checked
	return st, errors.Join(errs...)
}

// parseField validates then parses one entry, collecting a named error.
func parseField[V any](errs []error, name, text string, validate func(string) error, parse func(string) (V, error)) (V, []error) {
	var zero V
	if err := validate(text); err != nil {
		return zero, append(errs, fmt.Errorf("%s: %w", name, err))
	}
	v, err := parse(strings.TrimSpace(text))
	if err != nil {
		return zero, append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return v, errs
}

func parseInt64(s string) (int64, error)   { return strconv.ParseInt(s, 10, 64) }
func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// parseDuration accepts Go durations ("30s", "2m") and bare seconds ("30").
func parseDuration(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(s)
}

func validatePort(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 65535 {
		return errors.New("enter a port from 0 to 65535")
	}
	return nil
}

func validateCap(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return errors.New("enter a whole number of KiB/s, 0 for unlimited")
	}
	return nil
}

func validateRatio(s string) error {
	r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || r <= 0 || r > 1000 {
		return errors.New("enter a ratio above 0, such as 1 or 1.5")
	}
	return nil
}

func validateHeartbeat(s string) error {
	d, err := parseDuration(strings.TrimSpace(s))
	if err != nil || d < time.Second || d > 24*time.Hour {
		return errors.New("enter a period between 1s and 24h, such as 30s or 2m")
	}
	return nil
}

// shortDuration prints 30s, 2m or 1m30s rather than Go's "2m0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func onCompleteLabels() []string {
	out := make([]string, len(onCompleteChoices))
	for i, c := range onCompleteChoices {
		out[i] = c.label
	}
	return out
}

func onCompleteLabel(value string) string {
	for _, c := range onCompleteChoices {
		if c.value == value {
			return c.label
		}
	}
	return onCompleteChoices[0].label
}

func onCompleteValue(label, fallback string) string {
	for _, c := range onCompleteChoices {
		if c.label == label {
			return c.value
		}
	}
	return fallback
}

// showSettings opens the settings dialog on the latest settings; Save
// applies them in the background.
func (m *mainWindow) showSettings() *settingsDialog {
	d := newSettingsDialog(m.win, m.settings, func(st engine.Settings) {
		m.settings = st // the tray and close button act on it before the next poll
		m.inBackground("Could not save settings", func() error { return m.eng.SetSettings(st) })
	})
	d.dlg.Show()
	return d
}
