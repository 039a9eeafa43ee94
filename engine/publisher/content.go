package publisher

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// contentFile is one regular file to be published.
type contentFile struct {
	rel    []string // path components below the root; nil for a single file
	osPath string
	size   int64
}

// content is what Build found at the path it was given.
type content struct {
	name  string
	isDir bool
	files []contentFile
}

func (c content) totalSize() (n int64) {
	for _, f := range c.files {
		n += f.size
	}
	return n
}

// scanContent lists the files under path. It refuses symlinks and special
// files instead of skipping them, so a published folder never silently
// differs from what the user sees in their file manager.
func scanContent(path string) (content, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return content{}, fmt.Errorf("resolving %q: %w", path, err)
	}
	name := filepath.Base(abs)
	if name == string(filepath.Separator) || name == "." {
		return content{}, fmt.Errorf("cannot publish %q: choose a file or a folder inside it", path)
	}
	// The root itself is followed if it is a symlink: the user pointed at it
	// explicitly. Links inside a folder are refused by walkFolder.
	fi, err := os.Stat(abs)
	if err != nil {
		return content{}, statError(abs, err)
	}
	switch {
	case fi.Mode().IsRegular():
		return content{name: name, files: []contentFile{{osPath: abs, size: fi.Size()}}}, nil
	case fi.IsDir():
		files, err := walkFolder(abs)
		return content{name: name, isDir: true, files: files}, err
	default:
		return content{}, specialFileError(abs, fi.Mode())
	}
}

// walkFolder returns the folder's files sorted by their "/"-joined relative
// path, the order anacrolix's Info.BuildFromFilePath uses, so the same
// folder gives the same info hash with either builder.
func walkFolder(root string) ([]contentFile, error) {
	var files []contentFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return statError(p, err)
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link: fairshare publishes only regular files, so replace it with a copy of its target or move it out of the folder", p)
		}
		if !d.Type().IsRegular() {
			return specialFileError(p, d.Type())
		}
		info, err := d.Info()
		if err != nil {
			return statError(p, err)
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return fmt.Errorf("locating %s inside %s: %w", p, root, err)
		}
		files = append(files, contentFile{
			rel:    strings.Split(filepath.ToSlash(rel), "/"),
			osPath: p,
			size:   info.Size(),
		})
		return nil
	})
	sort.Slice(files, func(i, j int) bool {
		return strings.Join(files[i].rel, "/") < strings.Join(files[j].rel, "/")
	})
	return files, err
}

func statError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s does not exist: check the path of the file or folder to publish: %w", path, err)
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot read %s: give fairshare read permission on it: %w", path, err)
	}
	return fmt.Errorf("cannot read %s: %w", path, err)
}

func specialFileError(path string, mode fs.FileMode) error {
	return fmt.Errorf("%s is not a regular file (%s): fairshare publishes only regular files and folders, so move it out of the way", path, mode.Type())
}
