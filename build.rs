//! Windows builds get the program's icon and version information (what Explorer and the
//! "Apps" list show) from a resource compiled by MinGW's `windres`. Other targets: nothing.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/windows/kassa.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    // libpq, linked statically (scripts/windows/build-libpq), uses these system libraries;
    // as link arguments they come after every library on the linker's command line.
    for lib in ["shell32", "ws2_32", "secur32", "advapi32"] {
        println!("cargo:rustc-link-arg=-l{lib}");
    }
    let (Ok(out), Ok(dir)) = (
        std::env::var("OUT_DIR"),
        std::env::var("CARGO_MANIFEST_DIR"),
    ) else {
        return;
    };
    let out = PathBuf::from(out);
    let icon = PathBuf::from(dir).join("assets/windows/kassa.ico");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let parts: Vec<u32> = version
        .split(['.', '-'])
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let (a, b, c) = (
        parts.first().copied().unwrap_or(0),
        parts.get(1).copied().unwrap_or(0),
        parts.get(2).copied().unwrap_or(0),
    );
    let rc = format!(
        r#"1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {a},{b},{c},0
PRODUCTVERSION {a},{b},{c},0
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "CompanyName", "Kassa"
      VALUE "FileDescription", "Kassa - point of sale"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "kassa"
      VALUE "LegalCopyright", "MIT licence"
      VALUE "OriginalFilename", "kassa.exe"
      VALUE "ProductName", "Kassa"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"#,
        icon = icon.display().to_string().replace('\\', "/"),
    );
    let rc_path = out.join("kassa.rc");
    let obj = out.join("kassa-res.o");
    if std::fs::write(&rc_path, rc).is_err() {
        return;
    }
    let windres = std::env::var("WINDRES").unwrap_or_else(|_| "x86_64-w64-mingw32-windres".into());
    let ok = std::process::Command::new(&windres)
        .arg(&rc_path)
        .arg("-O")
        .arg("coff")
        .arg("-o")
        .arg(&obj)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        println!("cargo:rustc-link-arg-bins={}", obj.display());
    } else {
        println!("cargo:warning={windres} not found: kassa.exe has no icon or version information");
    }
}
