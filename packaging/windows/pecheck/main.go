// Command pecheck checks that a Windows executable is what the installer
// should ship: a 64-bit PE32+ image for the GUI subsystem (no console
// window opens when a magnet link launches it) carrying an icon and a
// version resource that names the expected version. NSIS installers are
// 32-bit x86 images, so -installer accepts PE32 i386 instead.
//
//	go run ./packaging/windows/pecheck dist/windows/fairshare.exe VERSION
//	go run ./packaging/windows/pecheck -installer dist/windows/setup.exe VERSION
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"unicode/utf16"
)

// Resource type IDs (winuser.h).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
)

func main() {
	installer := flag.Bool("installer", false, "accept a 32-bit x86 image (NSIS installers)")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: pecheck [-installer] FILE.exe VERSION")
		os.Exit(2)
	}
	path, version := flag.Arg(0), flag.Arg(1)
	if err := check(path, version, *installer); err != nil {
		fmt.Fprintf(os.Stderr, "pecheck: %s: %v\n", path, err)
		os.Exit(1)
	}
	fmt.Printf("pecheck: %s: GUI subsystem, icon and version %s\n", path, version)
}

// check returns the first way path falls short.
func check(path, version string, installer bool) error {
	f, err := pe.Open(path)
	if err != nil {
		return fmt.Errorf("not a PE file: %w", err)
	}
	defer f.Close()
	var subsystem uint16
	var dirs []pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			return fmt.Errorf("machine %#x, want amd64", f.Machine)
		}
		subsystem, dirs = oh.Subsystem, oh.DataDirectory[:min(oh.NumberOfRvaAndSizes, 16)]
	case *pe.OptionalHeader32:
		if !installer || f.Machine != pe.IMAGE_FILE_MACHINE_I386 {
			return errors.New("PE32 image, want PE32+ (64-bit) amd64")
		}
		subsystem, dirs = oh.Subsystem, oh.DataDirectory[:min(oh.NumberOfRvaAndSizes, 16)]
	default:
		return errors.New("no optional header")
	}
	if subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		return fmt.Errorf("subsystem %d, want %d (GUI): link with -H=windowsgui", subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	rsrc, err := resources(f, dirs)
	if err != nil {
		return err
	}
	types, err := resourceTypes(rsrc)
	if err != nil {
		return err
	}
	for _, want := range []uint32{rtIcon, rtGroupIcon, rtVersion} {
		if !types[want] {
			return fmt.Errorf("no resource of type %d (icon 3, icon group 14, version 16): is the .syso missing?", want)
		}
	}
	if !bytes.Contains(rsrc, utf16le(version)) {
		return fmt.Errorf("version resource does not mention %q", version)
	}
	return nil
}

// resources returns the bytes of the resource directory, from its start to
// the end of the section holding it.
func resources(f *pe.File, dirs []pe.DataDirectory) ([]byte, error) {
	if len(dirs) <= pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
		return nil, errors.New("no resource directory")
	}
	dir := dirs[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
	if dir.Size == 0 {
		return nil, errors.New("no resources: is the .syso missing?")
	}
	for _, s := range f.Sections {
		if dir.VirtualAddress >= s.VirtualAddress && dir.VirtualAddress < s.VirtualAddress+s.VirtualSize {
			data, err := s.Data()
			if err != nil {
				return nil, fmt.Errorf("read section %s: %w", s.Name, err)
			}
			off := dir.VirtualAddress - s.VirtualAddress
			if int(off) >= len(data) {
				return nil, errors.New("resource directory outside its section's data")
			}
			return data[off:], nil
		}
	}
	return nil, errors.New("resource directory in no section")
}

// resourceTypes lists the numeric type IDs of the root resource directory
// (IMAGE_RESOURCE_DIRECTORY: 16-byte header, then 8-byte entries, named
// ones first).
func resourceTypes(rsrc []byte) (map[uint32]bool, error) {
	if len(rsrc) < 16 {
		return nil, errors.New("resource directory truncated")
	}
	named := int(binary.LittleEndian.Uint16(rsrc[12:]))
	ids := int(binary.LittleEndian.Uint16(rsrc[14:]))
	if len(rsrc) < 16+8*(named+ids) {
		return nil, errors.New("resource directory entries truncated")
	}
	types := map[uint32]bool{}
	for i := named; i < named+ids; i++ {
		types[binary.LittleEndian.Uint32(rsrc[16+8*i:])] = true
	}
	return types, nil
}

// utf16le encodes s as the version resource stores its strings.
func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
