package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fairshare/engine"
	"fairshare/engine/publisher"
)

func newCreate(version string) *cobra.Command {
	var out string
	var trackers, webseeds []string
	var pieceLength int64
	cmd := &cobra.Command{
		Use:   "create PATH -o FILE.torrent",
		Short: "Build a .torrent file for a file or folder",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			mi, err := publisher.Build(args[0], publisher.BuildOptions{
				PieceLength: pieceLength, Trackers: trackers, WebSeeds: webseeds, CreatedBy: engine.ClientName(version),
			})
			if err != nil {
				return err
			}
			if err := publisher.WriteTorrentFile(mi, out); err != nil {
				return err
			}
			magnet, err := publisher.Magnet(mi, publisher.MagnetOptions{})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), magnet)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "where to write the .torrent file")
	f.StringArrayVar(&trackers, "tracker", nil, "announce URL (repeatable)")
	f.StringArrayVar(&webseeds, "webseed", nil, "web seed URL (repeatable); end it with / for a folder")
	f.Int64Var(&pieceLength, "piece-length", 0, "piece length in bytes, a power of two ≥ 16384 (default: chosen from the size)")
	cmd.MarkFlagRequired("output")
	return cmd
}
