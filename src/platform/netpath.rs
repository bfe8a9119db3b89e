//! A SQLite file on a network share is refused: SQLite's locks and WAL's shared memory do not
//! work across machines, and two workstations writing one file over SMB or NFS corrupt it. Several
//! workstations share one register through a database server instead (README, «Several
//! workstations»).
//!
//! The forms of a path are parsed by a pure function, the same on every OS, so that its tests
//! run here; what only the running system can tell (is drive `Z:` mapped to a share? which file
//! system holds this folder?) is asked in [`network_share`].

use std::path::Path;

/// What the text of a Windows path says about where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowsPathForm {
    /// `\\server\share\…`, `//server/share/…`, `\\?\UNC\server\share\…`, `\\.\UNC\server\share\…`:
    /// a network share, whatever the drive letters say.
    Unc { server: String, share: String },
    /// `C:\…`, `C:…`, `\\?\C:\…`, `\\.\C:\…`: a drive letter, local or mapped to a share (only
    /// the system knows).
    Drive(char),
    /// A relative path, a path rooted on the current drive (`\dir`), or a device path: decided
    /// from the absolute form.
    Other,
}

/// Reads the form of a Windows path from its text.
pub fn windows_path_form(path: &str) -> WindowsPathForm {
    let unified = path.replace('/', "\\");
    for prefix in ["\\\\?\\UNC\\", "\\\\.\\UNC\\"] {
        if let Some(rest) = strip_prefix_ignore_case(&unified, prefix) {
            return unc(rest);
        }
    }
    for prefix in ["\\\\?\\", "\\\\.\\"] {
        if let Some(rest) = unified.strip_prefix(prefix) {
            return drive(rest).map_or(WindowsPathForm::Other, WindowsPathForm::Drive);
        }
    }
    if let Some(rest) = unified.strip_prefix("\\\\") {
        return unc(rest);
    }
    drive(&unified).map_or(WindowsPathForm::Other, WindowsPathForm::Drive)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn unc(rest: &str) -> WindowsPathForm {
    let mut parts = rest.split('\\').filter(|p| !p.is_empty());
    match (parts.next(), parts.next()) {
        (Some(server), share) => WindowsPathForm::Unc {
            server: server.to_string(),
            share: share.unwrap_or_default().to_string(),
        },
        (None, _) => WindowsPathForm::Other,
    }
}

fn drive(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic() => {
            Some(letter.to_ascii_uppercase())
        }
        _ => None,
    }
}

/// File systems reached over the network (the `fstype` column of `/proc/mounts`).
const NETWORK_FS: [&str; 12] = [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "ncpfs",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "fuse.sshfs",
    "lustre",
];

/// Whether a file system type of `/proc/mounts` is a network one.
pub fn is_network_fs(fstype: &str) -> bool {
    NETWORK_FS.contains(&fstype)
}

/// The mount holding `path` (absolute, symbolic links resolved) in the text of `/proc/mounts`:
/// its mount point and file system type, the longest mount point that contains the path.
pub fn mount_of(mounts: &str, path: &Path) -> Option<(String, String)> {
    let mut best: Option<(String, String)> = None;
    for line in mounts.lines() {
        let mut fields = line.split_whitespace();
        let (Some(_device), Some(point), Some(fstype)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let point = unescape_mount_field(point);
        if path.starts_with(&point) && best.as_ref().is_none_or(|(p, _)| point.len() >= p.len()) {
            best = Some((point, fstype.to_string()));
        }
    }
    best
}

/// `/proc/mounts` writes a space, a tab, a newline and a backslash in a path as `\040`, `\011`,
/// `\012`, `\134`.
fn unescape_mount_field(field: &str) -> String {
    field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

/// If the database at `path` would live on a network share, a description of the share
/// (`\\server\share`, `Z: (network drive)`, `nfs4 at /mnt/x`); `None` for a local disk or when
/// the system cannot tell.
pub fn network_share(path: &Path) -> Option<String> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    system_network_share(&absolute)
}

#[cfg(windows)]
fn system_network_share(path: &Path) -> Option<String> {
    match windows_path_form(&path.to_string_lossy()) {
        WindowsPathForm::Unc { server, share } => Some(format!("\\\\{server}\\{share}")),
        WindowsPathForm::Drive(letter) => {
            windows::is_remote_drive(letter).then(|| format!("{letter}:"))
        }
        WindowsPathForm::Other => None,
    }
}

#[cfg(windows)]
mod windows {
    /// Whether drive `letter` is mapped to a network share: `GetDriveTypeW("X:\")` is
    /// `DRIVE_REMOTE`.
    #[allow(unsafe_code)]
    pub(super) fn is_remote_drive(letter: char) -> bool {
        use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
        // DRIVE_REMOTE in winbase.h.
        const DRIVE_REMOTE: u32 = 4;
        let root: Vec<u16> = format!("{letter}:\\")
            .encode_utf16()
            .chain(std::iter::once(0))
            .collect();
        // SAFETY: `root` is a NUL-terminated UTF-16 string that outlives the call; the function
        // only reads it.
        let kind = unsafe { GetDriveTypeW(root.as_ptr()) };
        kind == DRIVE_REMOTE
    }
}

#[cfg(not(windows))]
fn system_network_share(path: &Path) -> Option<String> {
    // The file may not exist yet: its nearest existing folder decides, with links resolved.
    let existing = path.ancestors().find(|p| p.exists())?;
    let real = existing.canonicalize().ok()?;
    let mounts = std::fs::read_to_string("/proc/self/mounts")
        .or_else(|_| std::fs::read_to_string("/proc/mounts"))
        .ok()?;
    let (point, fstype) = mount_of(&mounts, &real)?;
    is_network_fs(&fstype).then(|| format!("{fstype} at {point}"))
}

#[cfg(test)]
mod tests {
    use super::WindowsPathForm::{Drive, Other, Unc};
    use super::*;

    fn share(server: &str, share: &str) -> WindowsPathForm {
        Unc {
            server: server.into(),
            share: share.into(),
        }
    }

    #[test]
    fn unc_paths_are_network_shares_in_every_spelling() {
        assert_eq!(
            windows_path_form(r"\\akimat-srv\spravka\spravka.db"),
            share("akimat-srv", "spravka")
        );
        assert_eq!(
            windows_path_form("//akimat-srv/spravka/spravka.db"),
            share("akimat-srv", "spravka")
        );
        assert_eq!(
            windows_path_form(r"\\?\UNC\akimat-srv\spravka\data\spravka.db"),
            share("akimat-srv", "spravka")
        );
        assert_eq!(
            windows_path_form(r"\\?\unc\10.0.0.5\d$\spravka.db"),
            share("10.0.0.5", "d$")
        );
        assert_eq!(
            windows_path_form(r"\\.\UNC\srv\share\x.db"),
            share("srv", "share")
        );
        assert_eq!(windows_path_form(r"\\srv"), share("srv", ""));
    }

    #[test]
    fn drive_letters_are_read_for_the_system_to_judge() {
        assert_eq!(
            windows_path_form(r"C:\ProgramData\spravka\spravka.db"),
            Drive('C')
        );
        assert_eq!(windows_path_form(r"z:\spravka.db"), Drive('Z'));
        assert_eq!(windows_path_form("Z:spravka.db"), Drive('Z'));
        assert_eq!(windows_path_form("Z:/spravka/spravka.db"), Drive('Z'));
        assert_eq!(windows_path_form(r"\\?\Z:\spravka\spravka.db"), Drive('Z'));
        assert_eq!(windows_path_form(r"\\.\C:\spravka.db"), Drive('C'));
    }

    #[test]
    fn relative_and_device_paths_are_decided_later() {
        assert_eq!(windows_path_form("spravka.db"), Other);
        assert_eq!(windows_path_form(r"data\spravka.db"), Other);
        assert_eq!(windows_path_form(r"\spravka.db"), Other);
        assert_eq!(windows_path_form(r"\\?\Volume{1234}\spravka.db"), Other);
        assert_eq!(windows_path_form("1:/x"), Other);
        assert_eq!(windows_path_form(""), Other);
    }

    const MOUNTS: &str = "\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
fileserver:/export/akimat /mnt/akimat nfs4 rw,relatime,vers=4.2 0 0
//srv/spravka /mnt/smb\\040share cifs rw,relatime,vers=3.1.1 0 0
/dev/sdb1 /mnt/akimat/local ext4 rw 0 0
tmpfs /tmp tmpfs rw 0 0
";

    #[test]
    fn nfs_and_smb_mounts_are_found_by_the_longest_mount_point() {
        let at = |p: &str| mount_of(MOUNTS, Path::new(p)).expect("a mount");
        assert_eq!(
            at("/mnt/akimat/spravka.db"),
            ("/mnt/akimat".into(), "nfs4".into())
        );
        assert_eq!(
            at("/mnt/smb share/spravka.db"),
            ("/mnt/smb share".into(), "cifs".into())
        );
        // A local disk mounted inside the share is local.
        assert_eq!(
            at("/mnt/akimat/local/x.db"),
            ("/mnt/akimat/local".into(), "ext4".into())
        );
        assert_eq!(at("/home/officer/x.db"), ("/".into(), "ext4".into()));
        // A prefix of a name is not a mount point: /mnt/akimat2 is on /.
        assert_eq!(at("/mnt/akimat2/x.db"), ("/".into(), "ext4".into()));
        assert!(is_network_fs(&at("/mnt/akimat/spravka.db").1));
        assert!(is_network_fs(&at("/mnt/smb share/x.db").1));
        assert!(!is_network_fs(&at("/tmp/x.db").1));
    }

    #[cfg(not(windows))]
    #[test]
    fn a_local_temporary_folder_is_not_a_share() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(network_share(&dir.path().join("new.db")), None);
    }
}
