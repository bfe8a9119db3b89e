//! Files the window writes and reads for the user: printed documents, opened scans, picked
//! files. Nothing here touches the database.

use std::path::{Path, PathBuf};

use crate::ui::i18n::Tr;

/// Writes a printed document to the body's print folder (or the temporary folder) and opens it
/// with the system viewer; returns the message for the screen.
pub(super) fn write_and_open(tr: &Tr, folder: Option<&str>, name: &str, pdf: &[u8]) -> String {
    let folder = folder.map_or_else(std::env::temp_dir, PathBuf::from);
    let path = folder.join(name);
    match write_then_open(&path, pdf) {
        Ok(()) => tr.f("print.written", &[&path.display().to_string()]),
        Err(e) => format!("{}: {e} ({})", tr.t("error.open_file"), path.display()),
    }
}

/// Writes a stored scan to the temporary folder under its content address and opens it.
pub(super) fn open_scan(sha256: &str, file_name: &str, bytes: &[u8]) -> Result<(), String> {
    let prefix = sha256.get(..12).unwrap_or(sha256);
    let path = std::env::temp_dir().join(format!(
        "spravka-{prefix}-{}",
        file_name.replace(['/', '\\'], "_")
    ));
    write_then_open(&path, bytes)
}

/// Writes a file to a path in the temporary folder and opens it (the commission's protocol).
pub(super) fn open_temp(name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = std::env::temp_dir().join(name);
    write_then_open(&path, bytes).map(|()| path)
}

/// The name and bytes of a file the user picked.
pub(super) fn read_picked(path: &Path) -> std::io::Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, bytes))
}

fn write_then_open(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| e.to_string())?;
    open::that_detached(path).map_err(|e| e.to_string())
}
