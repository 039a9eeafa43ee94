//go:build darwin && cgo

package defaulthandler

/*
#cgo LDFLAGS: -framework CoreServices -framework CoreFoundation
#include <stdlib.h>
#include <CoreServices/CoreServices.h>

// LSSetDefaultHandlerForURLScheme and friends are deprecated since macOS 12
// in favour of NSWorkspace's asynchronous API, but still work and need no
// Objective-C.
#pragma clang diagnostic ignored "-Wdeprecated-declarations"

static CFStringRef cfstr(const char *s) {
	return CFStringCreateWithCString(NULL, s, kCFStringEncodingUTF8);
}

// isDefaultFor reports whether bundle handles the URL scheme.
static int isDefaultFor(const char *scheme, const char *bundle) {
	CFStringRef s = cfstr(scheme), b = cfstr(bundle);
	CFStringRef cur = LSCopyDefaultHandlerForURLScheme(s);
	int same = cur != NULL && CFStringCompare(cur, b, kCFCompareCaseInsensitive) == kCFCompareEqualTo;
	if (cur != NULL) CFRelease(cur);
	CFRelease(s);
	CFRelease(b);
	return same;
}

// setDefault makes bundle the handler of the scheme and of the content
// type (.torrent files); returns the first OSStatus that is not noErr.
static OSStatus setDefault(const char *scheme, const char *uti, const char *bundle) {
	CFStringRef s = cfstr(scheme), u = cfstr(uti), b = cfstr(bundle);
	OSStatus err = LSSetDefaultHandlerForURLScheme(s, b);
	if (err == noErr) err = LSSetDefaultRoleHandlerForContentType(u, kLSRolesViewer, b);
	CFRelease(s);
	CFRelease(u);
	CFRelease(b);
	return err;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// torrentUTI is the type the app's Info.plist imports for .torrent files
// (packaging/darwin/plist.go).
const torrentUTI = "org.bittorrent.torrent"

func isDefault() (bool, error) {
	scheme, bundle := C.CString(MagnetScheme), C.CString(BundleID)
	defer C.free(unsafe.Pointer(scheme))
	defer C.free(unsafe.Pointer(bundle))
	return C.isDefaultFor(scheme, bundle) != 0, nil
}

func makeDefault() error {
	scheme, uti, bundle := C.CString(MagnetScheme), C.CString(torrentUTI), C.CString(BundleID)
	defer C.free(unsafe.Pointer(scheme))
	defer C.free(unsafe.Pointer(uti))
	defer C.free(unsafe.Pointer(bundle))
	if st := C.setDefault(scheme, uti, bundle); st != 0 {
		return fmt.Errorf("LaunchServices refused (OSStatus %d): is Fairshare running from its .app in Applications?", int(st))
	}
	return nil
}
