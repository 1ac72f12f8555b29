; Inno Setup 6 script for the Windows installer of ShopDesk (see docs/packaging.md).
; Not yet run by CI: build on Windows after tools\build_bundle.py, from the repository root:
;   iscc /DAppVersion=0.1.0 tools\windows\shopdesk.iss
; Result: dist\ShopDesk-0.1.0-setup.exe
;
; What it must do, and does:
; - install the program read-only under Program Files (never with portable.txt);
; - create the shared data folder C:\ProgramData\ShopDesk and give the Users group modify
;   rights on it, inherited by every file ShopDesk creates later (database, -wal/-shm files,
;   photos, backups, logs), so each seller's Windows account can write the same shop;
; - nothing more: a frozen ShopDesk on Windows uses that folder by itself when it exists and is
;   writable (shopdesk.paths, step 3), while a portable.txt still wins over it;
; - keep the data folder on uninstall: it is the shop's books.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=0.1.0 tools\windows\shopdesk.iss
#endif
#define AppName "ShopDesk"
#define BundleDir "..\..\dist\" + AppName + "-" + AppVersion

[Setup]
AppId={{6B7E0C2D-4C1F-4E51-9F1B-5A3C2D8E9F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
PrivilegesRequired=admin
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
UninstallDisplayIcon={app}\{#AppName}.exe

[Languages]
; Indonesian is an unofficial Inno Setup translation: put Indonesian.isl (from the Inno Setup
; translations page) into the compiler's Languages folder to get it.
#if FileExists(CompilerPath + "Languages\Indonesian.isl")
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Dirs]
Name: "{commonappdata}\{#AppName}"; Permissions: users-modify; Flags: uninsneveruninstall

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppName}.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppName}.exe"

[Run]
Filename: "{app}\{#AppName}.exe"; Flags: nowait postinstall skipifsilent
