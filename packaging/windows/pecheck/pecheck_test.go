package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildHello cross-compiles testdata/hello for Windows with ldflags.
func buildHello(t *testing.T, arch, ldflags string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "hello.exe")
	cmd := exec.Command("go", "build", "-ldflags", ldflags, "-o", out, "./testdata/hello")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build hello.exe: %v\n%s", err, b)
	}
	return out
}

// The real fairshare.exe passes in `make check-package-windows`; these
// cases show each shortfall is caught and named.
func TestCheckRejects(t *testing.T) {
	console := buildHello(t, "amd64", "")
	gui := buildHello(t, "amd64", "-H=windowsgui")
	notPE := filepath.Join(t.TempDir(), "notpe.exe")
	os.WriteFile(notPE, []byte("MZ but not really"), 0o644)
	for _, c := range []struct{ name, path, want string }{
		{"console subsystem", console, "want 2 (GUI)"},
		{"GUI without resources", gui, "no resources"},
		{"not a PE file", notPE, "not a PE file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := check(c.path, "v1.0.0", false)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("check = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestResourceTypesReadsIDEntries(t *testing.T) {
	// One named entry (skipped) and two ID entries: icon group and version.
	dir := make([]byte, 16+3*8)
	dir[12], dir[14] = 1, 2
	dir[16+8] = rtGroupIcon
	dir[16+16] = rtVersion
	types, err := resourceTypes(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !types[rtGroupIcon] || !types[rtVersion] || types[rtIcon] || len(types) != 2 {
		t.Fatalf("types = %v, want only %d and %d", types, rtGroupIcon, rtVersion)
	}
	if _, err := resourceTypes(dir[:20]); err == nil {
		t.Fatal("truncated directory accepted")
	}
}
