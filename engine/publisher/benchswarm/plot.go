package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	colRuns  = []color.RGBA{{0x2b, 0x7b, 0xb9, 0xff}, {0xe6, 0x61, 0x01, 0xff}} // P2P runs in order
	runNames = []string{"blue", "orange"}
	colCS    = color.RGBA{0xd7, 0x19, 0x1c, 0xff}
	colTStar = color.RGBA{0x1a, 0x96, 0x41, 0xff}
	colText  = color.Black
	colAxis  = color.Gray{0x80}
)

// writePNG draws, per scenario, each leecher's completion time as a bar
// (one colour per P2P run, C/S red) with T* as a green line; late joiners
// as pale bars from their start to their completion, with a black tick at
// their first piece. Scenarios side by side, each on its own time scale.
func writePNG(path string, rs []result) error {
	const h, top, bottom = 380, 60, 40
	widths := make([]int, len(rs))
	total := 0
	for i, r := range rs {
		widths[i] = max(460, 60+10*barCount(r))
		total += widths[i]
	}
	img := image.NewRGBA(image.Rect(0, 0, max(total, 420), h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	x0 := 0
	for i, r := range rs {
		drawPanel(img, x0, widths[i], h, top, bottom, r)
		x0 += widths[i]
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		return err
	}
	return f.Close()
}

func barCount(r result) int {
	n := len(r.CS)
	for _, run := range r.Runs {
		n += len(run.Main) + len(run.Late)
	}
	return n
}

// bar is one leecher on the panel's common time scale.
type bar struct {
	from, to, first float64 // first < 0: no tick
	c               color.Color
}

// bars lists the panel's bars left to right: per P2P run its N leechers
// then its late joiners, then the C/S downloads.
func bars(r result) []bar {
	var bs []bar
	for i, run := range r.Runs {
		c := colRuns[i%len(colRuns)]
		for _, l := range run.Main {
			bs = append(bs, bar{0, l.Done, -1, c})
		}
		for _, l := range run.Late {
			first := -1.0
			if l.FirstPiece > 0 {
				first = run.LateAt + l.FirstPiece
			}
			bs = append(bs, bar{run.LateAt, run.LateAt + l.Done, first, pale(c)})
		}
	}
	for _, l := range r.CS {
		bs = append(bs, bar{0, l.Done, -1, colCS})
	}
	return bs
}

func pale(c color.RGBA) color.RGBA {
	mix := func(v uint8) uint8 { return uint8((int(v) + 2*0xff) / 3) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}

func legend(r result) string {
	var parts []string
	for i, run := range r.Runs {
		parts = append(parts, fmt.Sprintf("%s P2P active %s", runNames[i%len(runNames)], run.Active))
	}
	if r.CS != nil {
		parts = append(parts, "red C/S")
	}
	return strings.Join(append(parts, "green T*"), ", ")
}

func drawPanel(img *image.RGBA, x0, w, h, top, bottom int, r result) {
	left := x0 + 50
	right := x0 + w - 10
	plotH := h - top - bottom
	bs := bars(r)
	tmax := r.TStar
	for _, b := range bs {
		tmax = max(tmax, b.to)
	}
	tmax *= 1.1
	y := func(t float64) int { return top + plotH - int(float64(plotH)*t/tmax) }
	label(img, x0+10, 15, fmt.Sprintf("Scenario %s: F=%s N=%d U=%dKiB/s", r.sc.Name, sizeText(r.sc.Size), r.sc.N, r.sc.Up), colText)
	label(img, x0+10, 30, legend(r), colText)
	label(img, x0+10, 45, "pale: late joiners, start to done, tick = 1st piece", colText)
	// Axis with ticks every quarter.
	fill(img, left-1, top, left, top+plotH, colAxis)
	fill(img, left, top+plotH, right, top+plotH+1, colAxis)
	for q := 0; q <= 4; q++ {
		t := tmax * float64(q) / 4
		label(img, x0+5, y(t)+4, fmt.Sprintf("%.0fs", t), colText)
	}
	if len(bs) == 0 {
		return
	}
	bw := max((right-left)/(len(bs)+1), 2)
	x := left + bw/2
	for _, b := range bs {
		drawBar(img, x, bw, y, tmax, b)
		x += bw
	}
	fill(img, left, y(r.TStar), right, y(r.TStar)+2, colTStar)
	label(img, left+4, h-bottom+15, "leechers (completion time)", colText)
}

func drawBar(img *image.RGBA, x, bw int, y func(float64) int, tmax float64, b bar) {
	to := b.to
	if to <= b.from { // never completed: up to the top
		to = tmax
	}
	fill(img, x, y(to), x+bw-2, y(b.from), b.c)
	if b.first >= 0 {
		fill(img, x, y(b.first)-1, x+bw-2, y(b.first)+1, colText)
	}
}

func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
}

func label(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
