; The Kassa installer for Windows (NSIS, made by scripts/build-windows).
; Installs for the current user (no administrator needed) or, when started as an
; administrator with /ALLUSERS or chosen on the first page, for all users; Start-menu and
; desktop shortcuts; an uninstaller listed in Windows' "Apps" with the version. The shop's
; database and backups live in the user's %LOCALAPPDATA%\Kassa and Documents\Kassa, which
; neither the installer nor the uninstaller ever touches.
Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef EXE
  !define EXE "kassa.exe"
!endif
!ifndef OUT
  !define OUT "kassa-setup-${VERSION}.exe"
!endif

!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_INSTDIR "Kassa"
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!include "MultiUser.nsh"

Name "Kassa ${VERSION}"
OutFile "${OUT}"
BrandingText "Kassa ${VERSION}"
SetCompressor /SOLID lzma
RequestExecutionLevel user
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "Kassa"
VIAddVersionKey "FileDescription" "Kassa installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "MIT licence"

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Kassa"
!define MUI_ICON "kassa.ico"
!define MUI_UNICON "kassa.ico"

!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\kassa.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Russian"

Function .onInit
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Section "Kassa" SecMain
  SetOutPath "$INSTDIR"
  File "/oname=kassa.exe" "${EXE}"
  File "kassa.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\Kassa"
  CreateShortcut "$SMPROGRAMS\Kassa\Kassa.lnk" "$INSTDIR\kassa.exe" "" "$INSTDIR\kassa.ico"
  CreateShortcut "$SMPROGRAMS\Kassa\Uninstall Kassa.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\Kassa.lnk" "$INSTDIR\kassa.exe" "" "$INSTDIR\kassa.ico"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "Kassa"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "Kassa"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\kassa.ico"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

; Removes the program and its shortcuts only: the database, its backups and exports are
; in the user's own folders and stay.
Section "Uninstall"
  Delete "$INSTDIR\kassa.exe"
  Delete "$INSTDIR\kassa.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Kassa\Kassa.lnk"
  Delete "$SMPROGRAMS\Kassa\Uninstall Kassa.lnk"
  RMDir "$SMPROGRAMS\Kassa"
  Delete "$DESKTOP\Kassa.lnk"
  DeleteRegKey SHCTX "${UNINST_KEY}"
SectionEnd
