package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	colP2P   = color.RGBA{0x2b, 0x7b, 0xb9, 0xff}
	colCS    = color.RGBA{0xd7, 0x19, 0x1c, 0xff}
	colTStar = color.RGBA{0x1a, 0x96, 0x41, 0xff}
	colText  = color.Black
	colAxis  = color.Gray{0x80}
)

// writePNG draws, per scenario, each leecher's completion time as a bar
// (P2P blue, C/S red) with T* as a green line; scenarios side by side,
// each on its own time scale.
func writePNG(path string, rs []result) error {
	const panelW, h, top, bottom = 420, 360, 40, 40
	img := image.NewRGBA(image.Rect(0, 0, panelW*max(len(rs), 1), h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for i, r := range rs {
		drawPanel(img, i*panelW, panelW, h, top, bottom, r)
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

func drawPanel(img *image.RGBA, x0, w, h, top, bottom int, r result) {
	left := x0 + 50
	right := x0 + w - 10
	plotH := h - top - bottom
	tmax := r.TStar
	for _, ls := range [][]leecher{r.P2P, r.CS} {
		for _, l := range ls {
			tmax = max(tmax, l.Done)
		}
	}
	tmax *= 1.1
	y := func(t float64) int { return top + plotH - int(float64(plotH)*t/tmax) }
	label(img, x0+10, 15, fmt.Sprintf("Scenario %s: F=%s N=%d U=%dKiB/s", r.sc.Name, sizeText(r.sc.Size), r.sc.N, r.sc.Up), colText)
	label(img, x0+10, 30, "blue P2P, red C/S, green T*", colText)
	// Axis with ticks every quarter.
	fill(img, left-1, top, left, top+plotH, colAxis)
	fill(img, left, top+plotH, right, top+plotH+1, colAxis)
	for q := 0; q <= 4; q++ {
		t := tmax * float64(q) / 4
		label(img, x0+5, y(t)+4, fmt.Sprintf("%.0fs", t), colText)
	}
	n := len(r.P2P) + len(r.CS)
	if n == 0 {
		return
	}
	bw := max((right-left)/(n+1), 2)
	x := left + bw/2
	for _, m := range []struct {
		ls []leecher
		c  color.Color
	}{{r.P2P, colP2P}, {r.CS, colCS}} {
		for _, l := range m.ls {
			t := l.Done
			if t == 0 { // never completed: full height, hollow
				t = tmax
			}
			fill(img, x, y(t), x+bw-2, top+plotH, m.c)
			x += bw
		}
	}
	fill(img, left, y(r.TStar), right, y(r.TStar)+2, colTStar)
	label(img, left+4, h-bottom+15, "leechers (completion time)", colText)
}

func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
}

func label(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
