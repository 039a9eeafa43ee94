// Command infoplist adds what Fairshare.app's Info.plist needs for links
// and .torrent files, which `fyne package` cannot write (FyneApp.toml has
// no field for them): CFBundleURLTypes, so the app opens magnet: URLs, and
// UTImportedTypeDeclarations plus CFBundleDocumentTypes for .torrent files
// (type org.bittorrent.torrent, as app/defaulthandler uses). Usage:
//
//	go run ./packaging/darwin/infoplist Fairshare.app/Contents/Info.plist
//
// It edits the file in place and leaves a file that already has
// CFBundleURLTypes alone, so running it twice is safe.
package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
)

// additions go at the end of the top-level <dict>.
const additions = `	<key>CFBundleURLTypes</key>
	<array>
		<dict>
			<key>CFBundleURLName</key>
			<string>Magnet link</string>
			<key>CFBundleURLSchemes</key>
			<array>
				<string>magnet</string>
			</array>
			<key>CFBundleTypeRole</key>
			<string>Viewer</string>
		</dict>
	</array>
	<key>UTImportedTypeDeclarations</key>
	<array>
		<dict>
			<key>UTTypeIdentifier</key>
			<string>org.bittorrent.torrent</string>
			<key>UTTypeDescription</key>
			<string>BitTorrent file</string>
			<key>UTTypeConformsTo</key>
			<array>
				<string>public.data</string>
			</array>
			<key>UTTypeTagSpecification</key>
			<dict>
				<key>public.filename-extension</key>
				<array>
					<string>torrent</string>
				</array>
				<key>public.mime-type</key>
				<string>application/x-bittorrent</string>
			</dict>
		</dict>
	</array>
	<key>CFBundleDocumentTypes</key>
	<array>
		<dict>
			<key>CFBundleTypeName</key>
			<string>BitTorrent file</string>
			<key>CFBundleTypeRole</key>
			<string>Viewer</string>
			<key>LSHandlerRank</key>
			<string>Owner</string>
			<key>LSItemContentTypes</key>
			<array>
				<string>org.bittorrent.torrent</string>
			</array>
		</dict>
	</array>
`

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: infoplist Fairshare.app/Contents/Info.plist")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "infoplist: %v\n", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	in, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := addTypes(in)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, out, 0o644)
}

// addTypes inserts additions before the closing tag of the top-level
// dict and checks the result is still well-formed XML.
func addTypes(plist []byte) ([]byte, error) {
	if bytes.Contains(plist, []byte("<key>CFBundleURLTypes</key>")) {
		return plist, nil
	}
	end := bytes.LastIndex(plist, []byte("</dict>"))
	if end < 0 || !bytes.Contains(plist[end:], []byte("</plist>")) {
		return nil, errors.New("no top-level <dict> closing before </plist>: not an Info.plist from fyne package?")
	}
	out := append(append(append([]byte{}, plist[:end]...), additions...), plist[end:]...)
	if err := wellFormed(out); err != nil {
		return nil, fmt.Errorf("result is not well-formed XML: %w", err)
	}
	return out, nil
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
