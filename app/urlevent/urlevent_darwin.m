//go:build darwin && cgo

// The Objective-C half of urlevent_darwin.go: an NSAppleEventManager
// handler for kInternetEventClass/kAEGetURL (a clicked magnet: link) that
// passes the URL to Go.
#import <Foundation/Foundation.h>
#import <AppKit/AppKit.h>
#include "_cgo_export.h"

@interface FairshareURLHandler : NSObject
- (void)handleGetURL:(NSAppleEventDescriptor *)event withReplyEvent:(NSAppleEventDescriptor *)reply;
@end

@implementation FairshareURLHandler
- (void)handleGetURL:(NSAppleEventDescriptor *)event withReplyEvent:(NSAppleEventDescriptor *)reply {
	NSString *url = [[event paramDescriptorForKeyword:keyDirectObject] stringValue];
	if (url != nil) {
		fairshareOpenURL((char *)[url UTF8String]);
	}
}
@end

static FairshareURLHandler *handler;

static void install(void) {
	[[NSAppleEventManager sharedAppleEventManager]
		setEventHandler:handler
		    andSelector:@selector(handleGetURL:withReplyEvent:)
		  forEventClass:kInternetEventClass
		     andEventID:kAEGetURL];
}

void fairshareInstallURLHandler(void) {
	if (handler != nil) {
		return;
	}
	handler = [[FairshareURLHandler alloc] init];
	install();
	// NSApplication sets up its Apple event handlers in finishLaunching;
	// installing again just before keeps ours for the launching link.
	[[NSNotificationCenter defaultCenter]
		addObserverForName:NSApplicationWillFinishLaunchingNotification
		            object:nil
		             queue:nil
		        usingBlock:^(NSNotification *note) { install(); }];
}
