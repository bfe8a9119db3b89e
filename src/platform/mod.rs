//! What depends on the operating system and the machine: where the data, the settings and the
//! log live, refusing a database on a network share, retrying a rename that Windows refuses
//! while a scanner holds the file. Nothing here knows the database's contents.

pub mod logfile;
pub mod netpath;
pub mod paths;
pub mod retry;
pub mod settings;
