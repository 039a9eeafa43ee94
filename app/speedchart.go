package app

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// speedChart draws the last five minutes of download and upload rates as
// polylines, with the global caps as horizontal lines.
type speedChart struct {
	widget.BaseWidget
	down, up       []float64 // oldest first, one sample a second
	downCap, upCap float64   // bytes/s, 0 when unlimited
}

func newSpeedChart() *speedChart {
	c := &speedChart{}
	c.ExtendBaseWidget(c)
	return c
}

// set replaces the data; caps are in bytes per second.
func (c *speedChart) set(down, up []float64, downCap, upCap int64) {
	c.down, c.up = down, up
	c.downCap, c.upCap = float64(downCap), float64(upCap)
	c.Refresh()
}

func (c *speedChart) CreateRenderer() fyne.WidgetRenderer {
	r := &speedChartRenderer{chart: c}
	r.build()
	return r
}

// speedChartRenderer keeps a fixed pool of line segments (historyLen-1 per
// series) and moves them on every refresh instead of allocating new ones.
type speedChartRenderer struct {
	chart           *speedChart
	frame, midGrid  *canvas.Line
	downLines       []*canvas.Line
	upLines         []*canvas.Line
	downCap, upCap  *canvas.Line
	downCapText     *canvas.Text
	upCapText       *canvas.Text
	downCapBox      *canvas.Rectangle // behind the cap labels, so data lines
	upCapBox        *canvas.Rectangle // crossing them do not strike them out
	top, mid, ago   *canvas.Text
	now, legendDown *canvas.Text
	legendUp        *canvas.Text
	objects         []fyne.CanvasObject
}

func (r *speedChartRenderer) build() {
	grid := theme.Color(theme.ColorNameSeparator)
	r.frame, r.midGrid = canvas.NewLine(grid), canvas.NewLine(grid)
	r.downLines, r.upLines = linePool(colorDown, 2), linePool(colorUp, 2)
	r.downCap, r.upCap = capLine(colorDown), capLine(colorUp)
	r.top, r.mid = axisText(""), axisText("")
	r.ago, r.now = axisText("5 min ago"), axisText("now")
	r.legendDown, r.legendUp = axisText(""), axisText("")
	r.legendDown.Color, r.legendUp.Color = colorDown, colorUp
	r.downCapText, r.upCapText = axisText(""), axisText("")
	r.downCapText.Color, r.upCapText.Color = colorDown, colorUp
	bg := theme.Color(theme.ColorNameBackground)
	r.downCapBox, r.upCapBox = canvas.NewRectangle(bg), canvas.NewRectangle(bg)
	r.objects = []fyne.CanvasObject{r.frame, r.midGrid, r.downCap, r.upCap}
	for _, l := range append(append([]*canvas.Line{}, r.downLines...), r.upLines...) {
		r.objects = append(r.objects, l)
	}
	r.objects = append(r.objects, r.downCapBox, r.upCapBox, r.downCapText, r.upCapText,
		r.top, r.mid, r.ago, r.now, r.legendDown, r.legendUp)
}

func linePool(c color.Color, width float32) []*canvas.Line {
	lines := make([]*canvas.Line, historyLen-1)
	for i := range lines {
		lines[i] = canvas.NewLine(c)
		lines[i].StrokeWidth = width
		lines[i].Hide()
	}
	return lines
}

// capLine is a faded version of its series colour, so a cap reads as a
// limit for that series rather than as data.
func capLine(c color.NRGBA) *canvas.Line {
	c.A = 0x90
	l := canvas.NewLine(c)
	l.StrokeWidth = 1
	return l
}

func axisText(s string) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.TextSize() * 0.85
	return t
}

func (r *speedChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *speedChartRenderer) Destroy()                     {}
func (r *speedChartRenderer) MinSize() fyne.Size           { return fyne.NewSize(300, 160) }
func (r *speedChartRenderer) Refresh()                     { r.Layout(r.chart.Size()) }

// plot is the rectangle the data is drawn in, leaving room for the labels.
type plot struct{ x0, y0, x1, y1, max float64 }

func (p plot) y(v float64) float32 {
	return float32(p.y1 - (p.y1-p.y0)*math.Min(v/p.max, 1))
}

func (r *speedChartRenderer) Layout(size fyne.Size) {
	c := r.chart
	label := float64(theme.TextSize()) * 1.4
	p := plot{x0: 8, y0: label, x1: float64(size.Width) - 8, y1: float64(size.Height) - label}
	p.max = chartScale(c.down, c.up, c.downCap, c.upCap)

	placeLine(r.frame, p.x0, p.y1, p.x1, p.y1)
	placeLine(r.midGrid, p.x0, float64(p.y(p.max/2)), p.x1, float64(p.y(p.max/2)))
	placeSeries(r.downLines, c.down, p)
	placeSeries(r.upLines, c.up, p)
	placeCap(r.downCap, r.downCapText, r.downCapBox, "down cap ", c.downCap, p)
	placeCap(r.upCap, r.upCapText, r.upCapBox, "up cap ", c.upCap, p)
	r.layoutLabels(p, size)
}

func (r *speedChartRenderer) layoutLabels(p plot, size fyne.Size) {
	c := r.chart
	setText(r.top, formatRate(p.max), float32(p.x0), 0)
	setText(r.mid, formatRate(p.max/2), float32(p.x0), p.y(p.max/2)-r.mid.MinSize().Height)
	setText(r.ago, "5 min ago", float32(p.x0), float32(p.y1)+2)
	setText(r.now, "now", float32(p.x1)-r.now.MinSize().Width, float32(p.y1)+2)
	setText(r.legendUp, "↑ up "+formatRate(last(c.up)), 0, 0)
	setText(r.legendDown, "↓ down "+formatRate(last(c.down)), 0, 0)
	upW := r.legendUp.MinSize().Width
	r.legendUp.Move(fyne.NewPos(float32(p.x1)-upW, 0))
	r.legendDown.Move(fyne.NewPos(float32(p.x1)-upW-16-r.legendDown.MinSize().Width, 0))
}

func setText(t *canvas.Text, s string, x, y float32) {
	if t.Text != s {
		t.Text = s
		t.Refresh()
	}
	t.Move(fyne.NewPos(x, y))
	t.Resize(t.MinSize())
}

func last(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[len(xs)-1]
}

// chartScale is the value at the top of the chart: a little above the
// highest sample or cap, rounded to a 1/2/5 step of a binary unit so the
// labels read "5.00 MiB/s" rather than "4.77 MiB/s".
func chartScale(down, up []float64, caps ...float64) float64 {
	top := 1024.0 // never zoom in below 1 KiB/s: idle noise would look busy
	for _, xs := range [][]float64{down, up, caps} {
		for _, v := range xs {
			top = math.Max(top, v*1.1)
		}
	}
	unit := 1.0
	for top/unit >= 1024 {
		unit *= 1024
	}
	v := top / unit
	step := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*step {
			return m * step * unit
		}
	}
	return 10 * step * unit
}

// placeSeries right-aligns the samples so "now" is always the right edge
// and a young torrent's line grows from the right.
func placeSeries(lines []*canvas.Line, xs []float64, p plot) {
	dx := (p.x1 - p.x0) / float64(historyLen-1)
	offset := historyLen - len(xs)
	for i, l := range lines {
		if i+1 >= len(xs) {
			l.Hide()
			continue
		}
		x := p.x0 + float64(offset+i)*dx
		placeLine(l, x, float64(p.y(xs[i])), x+dx, float64(p.y(xs[i+1])))
		l.Show()
	}
}

// capLabelX is where cap labels start: right of the axis labels, over the
// oldest samples, where covering a bit of line matters least.
const capLabelX = 100

// placeCap draws a cap as a horizontal line labelled just above it, on a
// box of background colour.
func placeCap(l *canvas.Line, label *canvas.Text, box *canvas.Rectangle, name string, limit float64, p plot) {
	if limit <= 0 {
		l.Hide()
		label.Hide()
		box.Hide()
		return
	}
	y := float64(p.y(limit))
	placeLine(l, p.x0, y, p.x1, y)
	setText(label, name+formatRate(limit), 0, 0)
	s := label.MinSize()
	pos := fyne.NewPos(float32(p.x0)+capLabelX, float32(y)-s.Height-1)
	label.Move(pos)
	box.Move(pos.SubtractXY(3, 0))
	box.Resize(s.AddWidthHeight(6, 0))
	l.Show()
	label.Show()
	box.Show()
}

func placeLine(l *canvas.Line, x0, y0, x1, y1 float64) {
	l.Position1 = fyne.NewPos(float32(x0), float32(y0))
	l.Position2 = fyne.NewPos(float32(x1), float32(y1))
	l.Refresh()
}
