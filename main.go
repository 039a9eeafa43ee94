// Command fairshare is the Fairshare desktop peer client. With no
// arguments, or with magnet links and .torrent files, it opens the desktop
// app; with a command word (get, publish, create, list) it runs headless.
package main

import (
	"fmt"
	"os"

	"fairshare/app"
	_ "fairshare/app/locale" // before Fyne reads the locale
	"fairshare/engine/cli"
)

// version is set at build time from git describe (see the Makefile).
var version = "dev"

func main() {
	args := os.Args[1:]
	if cli.IsCommand(args) {
		os.Exit(cli.Run(args, version, os.Stdout, os.Stderr))
	}
	if err := app.Run(app.Options{Version: version, Args: args, Home: os.Getenv("FAIRSHARE_HOME")}); err != nil {
		fmt.Fprintf(os.Stderr, "fairshare: %v\n", err)
		os.Exit(1)
	}
}
