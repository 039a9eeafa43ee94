package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"
	"text/template"
)

// fynePlist renders the Info.plist template of the fyne CLI we use
// (fyne.io/fyne/v2 v2.7.1, cmd/fyne/internal/templates/data/Info.plist),
// kept in testdata so the test needs no module download.
func fynePlist(t *testing.T) []byte {
	t.Helper()
	tpl := template.Must(template.ParseFiles("testdata/Info.plist.tmpl"))
	var b bytes.Buffer
	err := tpl.Execute(&b, map[string]any{
		"Name": "Fairshare", "ExeName": "fairshare", "AppID": "org.fairshare.app",
		"Version": "0.1.0", "Build": 1, "Category": "utilities", "Languages": []string{"en"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// plistKeys lists the keys of the top-level dict.
func plistKeys(t *testing.T, b []byte) map[string]bool {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	keys, depth := map[string]bool{}, 0
	for {
		tok, err := d.Token()
		if err != nil {
			return keys
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			if el.Name.Local == "key" && depth == 3 { // plist > dict > key
				var k string
				d.DecodeElement(&k, &el)
				keys[k] = true
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
}

func TestRewriteAddsURLAndDocumentTypesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Info.plist")
	orig := fynePlist(t)
	if plistKeys(t, orig)["CFBundleURLTypes"] {
		t.Fatal("fyne's template already has CFBundleURLTypes: this tool may be obsolete")
	}
	os.WriteFile(path, orig, 0o644)
	if err := rewrite(path); err != nil {
		t.Fatal(err)
	}
	once, _ := os.ReadFile(path)
	keys := plistKeys(t, once)
	for _, k := range []string{"CFBundleURLTypes", "CFBundleDocumentTypes", "UTImportedTypeDeclarations", "CFBundleIdentifier", "CFBundleExecutable"} {
		if !keys[k] {
			t.Errorf("top-level key %s missing after rewrite", k)
		}
	}
	if !bytes.Contains(once, []byte("<string>magnet</string>")) {
		t.Error("magnet scheme not declared")
	}
	if err := rewrite(path); err != nil {
		t.Fatal(err)
	}
	twice, _ := os.ReadFile(path)
	if !bytes.Equal(once, twice) {
		t.Error("a second run changed the file again")
	}
}

func TestRewriteRefusesOtherFiles(t *testing.T) {
	if _, err := addTypes([]byte("<html></html>")); err == nil {
		t.Error("accepted a file that is no plist")
	}
}
