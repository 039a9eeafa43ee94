package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"fairshare/storage"
)

func mustDefaultHome() string {
	h, err := storage.DefaultHome()
	if err != nil {
		return "."
	}
	return h
}

func newList(string) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the torrents in the state file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home := homeFlag(cmd)
			if home == "" {
				home = mustDefaultHome()
			}
			if _, err := os.Stat(home); err != nil {
				return fmt.Errorf("no Fairshare state in %s: %w", home, err)
			}
			db, err := storage.Open(home)
			if err != nil {
				return err
			}
			defer db.Close()
			ts, err := db.Torrents()
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(ts)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "INFO HASH\tNAME\tPAUSED\tDOWNLOADED\tUPLOADED\tFOLDER")
			for _, t := range ts {
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\t%s\n", t.InfoHash, t.Name, t.Paused,
					humanize.IBytes(uint64(t.Downloaded)), humanize.IBytes(uint64(t.Uploaded)), t.SaveDir)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
