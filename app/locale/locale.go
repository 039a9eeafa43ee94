// Package locale normalises the process locale before Fyne reads it.
//
// Fyne's lang package parses the locale in its init and logs an error for
// the POSIX names "C" and "POSIX" (common in terminals, services and CI).
// Go initialises packages in import-path order once their dependencies are
// ready; this package depends only on the standard library and sorts before
// fyne.io, so its init runs first. Import it for its side effect.
package locale

import "os"

func init() {
	for _, key := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch os.Getenv(key) {
		case "C", "POSIX", "C.UTF-8", "C.utf8":
			os.Setenv(key, "en_US.UTF-8")
		}
	}
}
