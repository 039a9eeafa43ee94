; Fairshare installer: per user (no admin rights), registers Fairshare for
; magnet: links and .torrent files under HKCU, and an uninstaller that
; removes what it registered. Built by "make package-windows":
;   makensis -DVERSION=v1.2.3 -DWINVERSION=1.2.3 -DEXE=fairshare.exe -DOUTFILE=setup.exe fairshare.nsi
; The keys match app/defaulthandler (defaulthandler_windows.go), which
; writes the same ones from Settings.
Unicode true
!include "MUI2.nsh"

!ifndef VERSION | WINVERSION | EXE | OUTFILE
  !error "pass -DVERSION= -DWINVERSION= -DEXE= -DOUTFILE="
!endif

!define CLASSES "Software\Classes"
!define CAPS "Software\Fairshare\Capabilities"
!define UNINST "Software\Microsoft\Windows\CurrentVersion\Uninstall\Fairshare"

Name "Fairshare"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\Fairshare"
InstallDirRegKey HKCU "Software\Fairshare" "InstallDir"
SetCompressor /SOLID lzma

VIProductVersion "${WINVERSION}.0"
VIAddVersionKey "ProductName" "Fairshare"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${WINVERSION}.0"
VIAddVersionKey "FileDescription" "Fairshare installer"
VIAddVersionKey "LegalCopyright" "Fairshare developers"

!define MUI_FINISHPAGE_RUN "$INSTDIR\fairshare.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; progid NAME DESCRIPTION writes a ProgID that opens its argument in Fairshare.
!macro progid NAME DESCRIPTION
  WriteRegStr HKCU "${CLASSES}\${NAME}" "" "${DESCRIPTION}"
  WriteRegStr HKCU "${CLASSES}\${NAME}\DefaultIcon" "" '"$INSTDIR\fairshare.exe",0'
  WriteRegStr HKCU "${CLASSES}\${NAME}\shell\open\command" "" '"$INSTDIR\fairshare.exe" "%1"'
!macroend

Section "Fairshare"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "/oname=fairshare.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\Fairshare.lnk" "$INSTDIR\fairshare.exe"
  WriteRegStr HKCU "Software\Fairshare" "InstallDir" "$INSTDIR"

  ; magnet: as a URL protocol, used directly when the user made no choice.
  !insertmacro progid "magnet" "URL:Magnet link"
  WriteRegStr HKCU "${CLASSES}\magnet" "URL Protocol" ""
  ; The ProgIDs Default Apps offers (Capabilities below name them).
  !insertmacro progid "Fairshare.Magnet" "URL:Magnet link"
  WriteRegStr HKCU "${CLASSES}\Fairshare.Magnet" "URL Protocol" ""
  !insertmacro progid "Fairshare.Torrent" "BitTorrent file"
  WriteRegStr HKCU "${CLASSES}\.torrent" "" "Fairshare.Torrent"
  WriteRegStr HKCU "${CLASSES}\.torrent" "Content Type" "application/x-bittorrent"
  WriteRegStr HKCU "${CLASSES}\.torrent\OpenWithProgids" "Fairshare.Torrent" ""

  WriteRegStr HKCU "${CAPS}" "ApplicationName" "Fairshare"
  WriteRegStr HKCU "${CAPS}" "ApplicationDescription" "Download and share publisher swarms over BitTorrent"
  WriteRegStr HKCU "${CAPS}" "ApplicationIcon" '"$INSTDIR\fairshare.exe",0'
  WriteRegStr HKCU "${CAPS}\URLAssociations" "magnet" "Fairshare.Magnet"
  WriteRegStr HKCU "${CAPS}\FileAssociations" ".torrent" "Fairshare.Torrent"
  WriteRegStr HKCU "Software\RegisteredApplications" "Fairshare" "${CAPS}"

  WriteRegStr HKCU "${UNINST}" "DisplayName" "Fairshare"
  WriteRegStr HKCU "${UNINST}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST}" "Publisher" "Fairshare developers"
  WriteRegStr HKCU "${UNINST}" "DisplayIcon" '"$INSTDIR\fairshare.exe",0'
  WriteRegStr HKCU "${UNINST}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINST}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST}" "NoRepair" 1

  ; SHCNE_ASSOCCHANGED: Explorer rereads the associations now.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; magnet and .torrent are shared keys: remove them only while they still
  ; point at this installation.
  ReadRegStr $0 HKCU "${CLASSES}\magnet\shell\open\command" ""
  StrCmp $0 '"$INSTDIR\fairshare.exe" "%1"' 0 +2
    DeleteRegKey HKCU "${CLASSES}\magnet"
  ReadRegStr $0 HKCU "${CLASSES}\.torrent" ""
  StrCmp $0 "Fairshare.Torrent" 0 +2
    DeleteRegValue HKCU "${CLASSES}\.torrent" ""
  DeleteRegValue HKCU "${CLASSES}\.torrent\OpenWithProgids" "Fairshare.Torrent"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.torrent\OpenWithProgids"
  DeleteRegKey HKCU "${CLASSES}\Fairshare.Magnet"
  DeleteRegKey HKCU "${CLASSES}\Fairshare.Torrent"
  DeleteRegValue HKCU "Software\RegisteredApplications" "Fairshare"
  DeleteRegKey HKCU "Software\Fairshare"
  DeleteRegKey HKCU "${UNINST}"

  Delete "$SMPROGRAMS\Fairshare.lnk"
  Delete "$INSTDIR\fairshare.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
