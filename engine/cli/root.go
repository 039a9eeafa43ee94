// Package cli holds Fairshare's headless commands (get, publish, create,
// list). Everything the GUI can do, a command can do too, so that it is
// scriptable and testable without a display.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Commands are the first words that select the CLI instead of the GUI.
var Commands = []string{"get", "publish", "create", "list", "version", "help", "completion", "--help", "-h", "--version"}

// IsCommand reports whether argv (without the program name) is a CLI call.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	for _, c := range Commands {
		if args[0] == c {
			return true
		}
	}
	return false
}

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Run executes a command and returns the process exit code. Errors are
// printed as one line: "fairshare: <what went wrong and what to do>".
func Run(args []string, version string, stdout, stderr io.Writer) int {
	root := newRoot(version, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "fairshare: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func newRoot(version string, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "fairshare",
		Short:         "Download and share publisher swarms over BitTorrent",
		Long:          "Fairshare downloads what publishers share as magnet links, and shares it back within the limits you set.\nRun without arguments (or with magnet links) to open the desktop app.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("fairshare {{.Version}}\n") // --version prints what `version` prints
	root.PersistentFlags().String("home", "", "folder for Fairshare's state (default $FAIRSHARE_HOME or the user config folder)")
	root.AddCommand(newGet(version), newPublish(version), newCreate(version), newList(version))
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), "fairshare", version) },
	})
	return root
}

func homeFlag(cmd *cobra.Command) string {
	h, _ := cmd.Flags().GetString("home")
	if h == "" {
		h = os.Getenv("FAIRSHARE_HOME")
	}
	return h
}
