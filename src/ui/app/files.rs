//! Files the window writes and reads for the user: printed documents, opened scans, picked
//! files. Nothing here touches the database.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::ui::i18n::Tr;

/// This run's private folder for files opened for viewing (scans, printed documents when the
/// body has no print folder): created on first use under the temporary folder with a name
/// nobody can guess beforehand, readable by this user only (0700 on Unix), and removed when
/// the window closes ([`remove_private_dir`]).
static PRIVATE_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();

fn private_dir() -> Result<&'static Path, String> {
    PRIVATE_DIR
        .get_or_init(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let dir = std::env::temp_dir().join(format!(
                "spravka-{}-{:08x}",
                std::process::id(),
                nanos ^ 0x5bd1_e995
            ));
            // `mut` only where the mode is set (a warning on Windows otherwise).
            #[cfg_attr(not(unix), allow(unused_mut))]
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            builder.create(&dir).ok().map(|()| dir)
        })
        .as_deref()
        .ok_or_else(|| "cannot create a private temporary folder".to_string())
}

/// Removes this run's private folder and what was opened from it (called when the window
/// closes; a viewer that still shows a file keeps its open copy).
pub fn remove_private_dir() {
    if let Some(Some(dir)) = PRIVATE_DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Writes a printed document to the body's print folder (or the temporary folder) and opens it
/// with the system viewer. `Ok`: the message for the status bar; `Err`: what went wrong, in
/// words (issue 14: a failed viewer launch showed «Launcher "gio" "open" … ExitStatus(…)» in
/// green, like a success). The system's own words go to stderr.
pub(super) fn write_and_open(
    tr: &Tr,
    folder: Option<&str>,
    name: &str,
    pdf: &[u8],
) -> Result<String, String> {
    let folder = match folder {
        Some(folder) => PathBuf::from(folder),
        None => private_dir()
            .map_err(|e| {
                eprintln!("spravka: {e}");
                tr.t("error.private_dir").to_string()
            })?
            .to_path_buf(),
    };
    let path = folder.join(name);
    let shown = path.display().to_string();
    std::fs::write(&path, pdf).map_err(|e| {
        eprintln!("spravka: {shown}: {e}");
        tr.f("error.write_file", &[&shown])
    })?;
    open_with_viewer(tr, &path)?;
    Ok(tr.f("print.written", &[&shown]))
}

/// Opens a written file with the system viewer; a failure is said in words, the path given.
pub(super) fn open_with_viewer(tr: &Tr, path: &Path) -> Result<(), String> {
    open::that_detached(path).map_err(|e| {
        eprintln!("spravka: {}: {e}", path.display());
        tr.f("error.viewer", &[&path.display().to_string()])
    })
}

/// Writes a signed PDF and its detached CMS (`NAME.cms`) to the print folder (or the private
/// one) and opens the PDF; returns the message for the screen.
pub(super) fn write_signed_pair(
    tr: &Tr,
    folder: Option<&str>,
    name: &str,
    pdf: &[u8],
    cms: &[u8],
) -> String {
    let folder = match folder {
        Some(folder) => PathBuf::from(folder),
        None => match private_dir() {
            Ok(dir) => dir.to_path_buf(),
            Err(e) => return format!("{}: {e}", tr.t("error.open_file")),
        },
    };
    let path = folder.join(name);
    let cms_path = folder.join(format!("{name}.cms"));
    if let Err(e) = std::fs::write(&cms_path, cms) {
        return format!("{}: {e} ({})", tr.t("error.open_file"), cms_path.display());
    }
    match write_then_open(tr, &path, pdf) {
        Ok(()) => tr.f(
            "eds.saved",
            &[&path.display().to_string(), &cms_path.display().to_string()],
        ),
        Err(message) => message,
    }
}

/// Writes a stored scan to the private folder under its content address and opens it; a
/// failure in words.
pub(super) fn open_scan(
    tr: &Tr,
    sha256: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<(), String> {
    let prefix = sha256.get(..12).unwrap_or(sha256);
    let dir = private_dir().map_err(|e| {
        eprintln!("spravka: {e}");
        tr.t("error.private_dir").to_string()
    })?;
    let path = dir.join(format!(
        "spravka-{prefix}-{}",
        file_name.replace(['/', '\\'], "_")
    ));
    write_then_open(tr, &path, bytes)
}

/// Writes a file to the private folder and opens it (the commission's protocol); a failure in
/// words.
pub(super) fn open_temp(tr: &Tr, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let dir = private_dir().map_err(|e| {
        eprintln!("spravka: {e}");
        tr.t("error.private_dir").to_string()
    })?;
    let path = dir.join(name);
    write_then_open(tr, &path, bytes).map(|()| path)
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

fn write_then_open(tr: &Tr, path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| {
        eprintln!("spravka: {}: {e}", path.display());
        tr.f("error.write_file", &[&path.display().to_string()])
    })?;
    open_with_viewer(tr, path)
}
