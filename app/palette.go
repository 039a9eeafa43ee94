package app

import "image/color"

// Fixed colours for the pieces bar and the speed chart. They are picked to
// read on both the light and dark theme, and "have" matches the icon teal.
var (
	colorHave        = color.NRGBA{0x14, 0xA3, 0x94, 0xFF}
	colorDownloading = color.NRGBA{0x3B, 0x82, 0xF6, 0xFF}
	colorChecking    = color.NRGBA{0xF5, 0x9E, 0x0B, 0xFF}
	colorMissing     = color.NRGBA{0x9C, 0xA3, 0xAF, 0x55}
	colorDown        = color.NRGBA{0x3B, 0x82, 0xF6, 0xFF}
	colorUp          = color.NRGBA{0x10, 0xB9, 0x81, 0xFF}
)
