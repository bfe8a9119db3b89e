//! spravka: the certificate of qualification for self-employment of foreigners (Order No. 236),
//! run end to end by a Kazakh akimat.

pub mod assets;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod eds;
pub mod launch;
pub mod platform;
pub mod print;
pub mod service;
pub mod store;
pub mod ui;
