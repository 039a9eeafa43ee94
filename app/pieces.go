package app

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"fairshare/engine"
)

// piecesView is the Pieces tab: one bar with a column of pixels per group
// of pieces, a summary line and a legend.
type piecesView struct {
	content fyne.CanvasObject
	raster  *canvas.Raster
	summary *widget.Label
	pieces  []engine.PieceStatus // immutable, from the snapshot
}

func newPiecesView() *piecesView {
	v := &piecesView{summary: widget.NewLabel("")}
	v.raster = canvas.NewRaster(v.draw)
	v.raster.SetMinSize(fyne.NewSize(200, 56))
	legend := container.NewHBox(
		legendItem(colorHave, "have"), legendItem(colorDownloading, "downloading"),
		legendItem(colorChecking, "checking"), legendItem(colorMissing, "missing"))
	v.content = container.NewPadded(container.NewVBox(v.raster, v.summary, legend))
	return v
}

// legendItem is a colour swatch followed by its meaning.
func legendItem(c color.Color, text string) fyne.CanvasObject {
	swatch := canvas.NewRectangle(c)
	swatch.SetMinSize(fyne.NewSize(14, 14))
	swatch.CornerRadius = 3
	return container.NewHBox(container.New(layout.NewCenterLayout(), swatch), widget.NewLabel(text))
}

// set shows t's pieces; redrawing only when they changed keeps a second-ly
// refresh of a large torrent cheap.
func (v *piecesView) set(t engine.TorrentSnapshot) {
	v.summary.SetText(piecesSummary(t))
	if slices.Equal(v.pieces, t.Pieces) {
		return
	}
	v.pieces = t.Pieces
	v.raster.Refresh()
}

func piecesSummary(t engine.TorrentSnapshot) string {
	if len(t.Pieces) == 0 {
		return "Pieces are unknown until the torrent's metadata arrives."
	}
	var count [pieceStates]int
	for _, p := range t.Pieces {
		if int(p) < len(count) {
			count[p]++
		}
	}
	s := fmt.Sprintf("%d of %d pieces (%s each)", count[engine.PieceComplete], len(t.Pieces), formatBytes(t.PieceSize))
	if n := count[engine.PiecePartial]; n > 0 {
		s += fmt.Sprintf(" · %d downloading", n)
	}
	if n := count[engine.PieceChecking]; n > 0 {
		s += fmt.Sprintf(" · %d checking", n)
	}
	s += fmt.Sprintf(" · %d missing", count[engine.PieceMissing])
	return s + fmt.Sprintf(" · availability %.1f copies", availability(t))
}

// availability estimates how many full copies the connected swarm holds:
// our share plus every connected peer's (web seeds and the publisher count
// one each). The engine reports each peer's progress, not its pieces, so
// this is the distributed-copies figure, not a per-piece minimum.
func availability(t engine.TorrentSnapshot) float64 {
	copies := 0.0
	if t.Size > 0 {
		copies = float64(t.Done) / float64(t.Size)
	}
	for _, p := range t.Peers {
		copies += p.Progress
	}
	return copies
}

// pieceStates counts the engine's piece states, for tallies.
const pieceStates = int(engine.PieceComplete) + 1

// draw paints w×h pixels, each column summarising the pieces it covers.
func (v *piecesView) draw(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(colorMissing), image.Point{}, draw.Src)
	n := len(v.pieces)
	if n == 0 || w == 0 {
		return img
	}
	for x := 0; x < w; x++ {
		from, to := x*n/w, (x+1)*n/w
		if to <= from {
			to = from + 1 // more pixels than pieces: a piece spans columns
		}
		c := columnColor(v.pieces[from:min(to, n)])
		draw.Draw(img, image.Rect(x, 0, x+1, h), image.NewUniform(c), image.Point{}, draw.Src)
	}
	return img
}

// columnColor shows activity first (downloading, checking), then how much of
// the group we have, as a blend between missing and have.
func columnColor(group []engine.PieceStatus) color.Color {
	have := 0
	for _, p := range group {
		switch p {
		case engine.PiecePartial:
			return colorDownloading
		case engine.PieceChecking:
			return colorChecking
		case engine.PieceComplete:
			have++
		}
	}
	return blend(colorMissing, colorHave, float64(have)/float64(len(group)))
}

func blend(a, b color.NRGBA, t float64) color.NRGBA {
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), mix(a.A, b.A)}
}
