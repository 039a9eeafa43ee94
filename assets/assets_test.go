package assets

import (
	"bytes"
	"image/png"
	"testing"
)

// The icon must decode as a square 512×512 PNG: packagers scale it down
// from there and reject anything else.
func TestIconIsSquarePNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(Icon.Content()))
	if err != nil {
		t.Fatalf("icon is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Fatalf("icon is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
	if Icon.Name() != "icon.png" {
		t.Fatalf("resource name %q", Icon.Name())
	}
}
