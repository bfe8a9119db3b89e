//! The settings file, `settings.json` in the data folder beside the database: where the
//! database is, which renderer opened the window, the language last chosen. JSON, because the
//! program already reads and writes JSON everywhere and an administrator can edit it in Notepad.
//!
//! ```json
//! { "database": "D:\\spravka\\spravka.db", "renderer": "glow", "language": "kk" }
//! ```
//!
//! Every field may be missing. A file that cannot be read is reported in the log and left as
//! it is (never overwritten with defaults); the program then starts with the defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file name in the data folder.
pub const FILE_NAME: &str = "settings.json";

/// A window renderer, as the settings and `--renderer` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum RendererName {
    /// wgpu: DX12 on Windows (the WARP software adapter where no GPU driver is installed),
    /// Vulkan or OpenGL on Linux.
    #[default]
    Wgpu,
    /// glow: OpenGL through the system's driver (Mesa llvmpipe, Windows' OpenGL 2+).
    Glow,
}

impl RendererName {
    pub fn code(self) -> &'static str {
        match self {
            Self::Wgpu => "wgpu",
            Self::Glow => "glow",
        }
    }

    /// The renderer tried when this one cannot start.
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Wgpu => Self::Glow,
            Self::Glow => Self::Wgpu,
        }
    }
}

impl std::fmt::Display for RendererName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Where the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// A SQLite file.
    File(PathBuf),
    /// The akimat's PostgreSQL server (`postgres://…`, `postgresql://…`), shared by several
    /// workstations.
    Server(String),
}

impl DatabaseLocation {
    pub fn parse(text: &str) -> Self {
        let lower = text.trim().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Self::Server(text.trim().to_string())
        } else {
            Self::File(PathBuf::from(text))
        }
    }
}

/// The contents of `settings.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The database: a SQLite file's path, or a server URL. None: `spravka.db` in the data
    /// folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The renderer that last opened the window after the other one could not. None: wgpu.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renderer: Option<RendererName>,
    /// The interface language last chosen in the window (`ru`, `kk`); also the language of
    /// the messages shown before the window opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid settings file: {source}")]
    Invalid {
        path: PathBuf,
        source: serde_json::Error,
    },
}

impl Settings {
    /// The database named in the settings, if any.
    pub fn database(&self) -> Option<DatabaseLocation> {
        self.database
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(DatabaseLocation::parse)
    }

    /// Reads the file; a missing file is the defaults.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(SettingsError::Io {
                    path: path.into(),
                    source,
                });
            }
        };
        serde_json::from_str(&text).map_err(|source| SettingsError::Invalid {
            path: path.into(),
            source,
        })
    }

    /// Writes the file whole: a `.partial` beside it, then renamed over it.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let io = |source| SettingsError::Io {
            path: path.into(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut text =
            serde_json::to_string_pretty(self).map_err(|source| SettingsError::Invalid {
                path: path.into(),
                source,
            })?;
        text.push('\n');
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text).map_err(io)?;
        super::retry::rename(&partial, path).map_err(io)
    }

    /// Reads the file, changes it and writes it back; a file that cannot be read is left
    /// untouched.
    pub fn update(path: &Path, change: impl FnOnce(&mut Self)) -> Result<(), SettingsError> {
        let mut settings = Self::load(path)?;
        let before = settings.clone();
        change(&mut settings);
        if settings == before {
            return Ok(());
        }
        settings.save(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_the_defaults_and_a_saved_one_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join(FILE_NAME);
        assert_eq!(
            Settings::load(&path).expect("defaults"),
            Settings::default()
        );
        Settings::update(&path, |s| s.renderer = Some(RendererName::Glow)).expect("update");
        Settings::update(&path, |s| s.language = Some("kk".into())).expect("update");
        let read = Settings::load(&path).expect("read");
        assert_eq!(read.renderer, Some(RendererName::Glow));
        assert_eq!(read.language.as_deref(), Some("kk"));
        assert_eq!(read.database, None);
        let text = std::fs::read_to_string(&path).expect("text");
        assert!(text.contains("\"renderer\": \"glow\""), "{text}");
        assert!(!text.contains("database"), "{text}");
        assert!(!path.with_extension("json.partial").exists());
    }

    #[test]
    fn a_damaged_file_is_reported_and_left_as_it_was() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "{ \"renderer\": ").expect("write");
        assert!(matches!(
            Settings::load(&path),
            Err(SettingsError::Invalid { .. })
        ));
        assert!(Settings::update(&path, |s| s.renderer = Some(RendererName::Glow)).is_err());
        assert_eq!(
            std::fs::read_to_string(&path).expect("text"),
            "{ \"renderer\": "
        );
        std::fs::write(&path, "{ \"renderer\": \"vulkan\" }").expect("write");
        assert!(
            Settings::load(&path).is_err(),
            "an unknown renderer is refused"
        );
    }

    #[test]
    fn a_database_is_a_file_or_a_server() {
        let settings = |d: &str| Settings {
            database: Some(d.into()),
            ..Settings::default()
        };
        assert_eq!(
            settings(r"D:\spravka\spravka.db").database(),
            Some(DatabaseLocation::File(PathBuf::from(
                r"D:\spravka\spravka.db"
            )))
        );
        assert_eq!(
            settings("postgres://spravka@akimat-srv:5432/spravka").database(),
            Some(DatabaseLocation::Server(
                "postgres://spravka@akimat-srv:5432/spravka".into()
            ))
        );
        assert!(matches!(
            settings("PostgreSQL:///spravka?host=/run/postgresql").database(),
            Some(DatabaseLocation::Server(_))
        ));
        assert_eq!(settings("  ").database(), None);
        assert_eq!(Settings::default().database(), None);
    }

    #[test]
    fn renderers_name_each_other() {
        assert_eq!(RendererName::default(), RendererName::Wgpu);
        assert_eq!(RendererName::Wgpu.other(), RendererName::Glow);
        assert_eq!(RendererName::Glow.other(), RendererName::Wgpu);
        assert_eq!(RendererName::Glow.to_string(), "glow");
    }
}
