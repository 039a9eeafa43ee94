package app

import (
	"cmp"

	"fairshare/engine"
)

// newFilesTable lists the selected torrent's files.
func newFilesTable() *sortedTable[engine.FileSnapshot] {
	type F = engine.FileSnapshot
	cols := []column[F]{
		{title: "Path", width: 520, text: func(f F) string { return f.Path }},
		{title: "Size", width: 100, right: true, text: func(f F) string { return formatBytes(f.Size) },
			order: func(a, b F) int { return cmp.Compare(a.Size, b.Size) }},
		{title: "Done", width: 100, right: true, text: func(f F) string { return formatBytes(f.Done) },
			order: func(a, b F) int { return cmp.Compare(a.Done, b.Done) }},
		{title: "Progress", width: 150, bar: fileProgress,
			order: func(a, b F) int { return cmp.Compare(fileProgress(a), fileProgress(b)) }},
	}
	return newSortedTable(cols, func(f F) string { return f.Path })
}

func fileProgress(f engine.FileSnapshot) float64 {
	if f.Size <= 0 {
		return 1 // an empty file is complete by definition
	}
	return float64(f.Done) / float64(f.Size)
}
