package publisher

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/anacrolix/torrent/metainfo"
)

// servedFile is one file of the torrent as found on disk.
type servedFile struct {
	osPath string
	length int64
}

// contentFiles maps each web seed URL path (unescaped, below /webseed/) to
// its file on disk. Only these exact keys are ever served, so no request
// path is turned into a filesystem path.
//
// anacrolix requests <web seed URL><name> for a single file and
// <web seed URL><name>/<path...> for a folder, escaping each component
// (webseed/request.go, urlForFileIndex); net/http unescapes them again.
func contentFiles(info *metainfo.Info, root string) (map[string]servedFile, error) {
	if err := checkComponent(info.BestName()); err != nil {
		return nil, err
	}
	files := make(map[string]servedFile)
	if !info.IsDir() {
		files[info.BestName()] = servedFile{osPath: root, length: info.Length}
		return files, checkOnDisk(files)
	}
	for _, fi := range info.UpvertedFiles() {
		comps := fi.BestPath()
		for _, c := range comps {
			if err := checkComponent(c); err != nil {
				return nil, err
			}
		}
		key := info.BestName() + "/" + strings.Join(comps, "/")
		files[key] = servedFile{osPath: filepath.Join(append([]string{root}, comps...)...), length: fi.Length}
	}
	return files, checkOnDisk(files)
}

// checkComponent refuses path components that could leave root: a torrent
// from elsewhere could list "..", and we join these onto the filesystem.
func checkComponent(c string) error {
	if c == "" || c == "." || c == ".." || strings.ContainsAny(c, "/\\\x00") {
		return fmt.Errorf("the torrent contains the unsafe file name %q: only torrents built from local files can be served", c)
	}
	return nil
}

// checkOnDisk makes sure every file still matches the torrent, so a stale
// torrent fails at startup rather than as hash failures on every client.
func checkOnDisk(files map[string]servedFile) error {
	for _, f := range files {
		st, err := os.Stat(f.osPath)
		if err != nil {
			return statError(f.osPath, err)
		}
		if !st.Mode().IsRegular() {
			return specialFileError(f.osPath, st.Mode())
		}
		if st.Size() != f.length {
			return staleError(f, st.Size())
		}
	}
	return nil
}

func staleError(f servedFile, size int64) error {
	return fmt.Errorf("%s is %d bytes but the torrent says %d: it changed after the torrent was built, so rebuild the torrent", f.osPath, size, f.length)
}
