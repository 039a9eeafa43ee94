//go:build ignore

// icon_gen draws assets/icon.png: a rounded teal square with a white swarm
// glyph (a publisher node linked to three peers that also link to each
// other). Run it from the repository root with `go run assets/icon_gen.go`;
// the PNG is committed so builds never need to run it.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size    = 512
	samples = 4 // per axis: 16 samples per pixel for anti-aliasing
)

type vec struct{ x, y float64 }

func (a vec) add(b vec) vec       { return vec{a.x + b.x, a.y + b.y} }
func (a vec) sub(b vec) vec       { return vec{a.x - b.x, a.y - b.y} }
func (a vec) dot(b vec) float64   { return a.x*b.x + a.y*b.y }
func (a vec) length() float64     { return math.Hypot(a.x, a.y) }
func (a vec) scale(k float64) vec { return vec{a.x * k, a.y * k} }

// Glyph geometry: the centre node sits low enough that the whole glyph is
// optically centred in the square.
var (
	centre = vec{256, 290}
	peers  = []vec{{256, 140}, {386, 365}, {126, 365}}
)

func roundedSquareDist(p vec) float64 {
	const half, radius = 240.0, 104.0
	qx := math.Abs(p.x-256) - (half - radius)
	qy := math.Abs(p.y-256) - (half - radius)
	outside := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
	return outside + math.Min(math.Max(qx, qy), 0) - radius
}

func segmentDist(p, a, b vec, width float64) float64 {
	ab, ap := b.sub(a), p.sub(a)
	t := math.Max(0, math.Min(1, ap.dot(ab)/ab.dot(ab)))
	return p.sub(a.add(ab.scale(t))).length() - width/2
}

// glyphAlpha is how opaque the white glyph is at p: nodes and spokes are
// solid, the peer-to-peer ring is lighter so the publisher stands out.
func glyphAlpha(p vec) float64 {
	if p.sub(centre).length() <= 60 {
		return 1
	}
	for _, q := range peers {
		if p.sub(q).length() <= 40 || segmentDist(p, centre, q, 22) <= 0 {
			return 1
		}
	}
	for i, q := range peers {
		if segmentDist(p, q, peers[(i+1)%len(peers)], 12) <= 0 {
			return 0.6
		}
	}
	return 0
}

// teal is a vertical gradient from a light to a deep teal.
func teal(y float64) (r, g, b float64) {
	t := y / size
	return lerp(0x2D, 0x0F, t), lerp(0xC4, 0x76, t), lerp(0xB4, 0x6E, t)
}

func lerp(a, b, t float64) float64 { return a + (b-a)*t }

func pixel(x, y int) color.NRGBA {
	var r, g, b, a float64
	for sy := 0; sy < samples; sy++ {
		for sx := 0; sx < samples; sx++ {
			p := vec{float64(x) + (float64(sx)+0.5)/samples, float64(y) + (float64(sy)+0.5)/samples}
			if roundedSquareDist(p) > 0 {
				continue
			}
			tr, tg, tb := teal(p.y)
			k := glyphAlpha(p)
			r += lerp(tr, 255, k)
			g += lerp(tg, 255, k)
			b += lerp(tb, 255, k)
			a++
		}
	}
	if a == 0 {
		return color.NRGBA{}
	}
	n := float64(samples * samples)
	return color.NRGBA{uint8(r/a + 0.5), uint8(g/a + 0.5), uint8(b/a + 0.5), uint8(255*a/n + 0.5)}
}

func main() {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.SetNRGBA(x, y, pixel(x, y))
		}
	}
	f, err := os.Create("assets/icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
