//! The layers of the program, checked on its source: SQL and the SQLite crate only in
//! `src/store/`; the window and the command line only through `service`; no import cycle
//! between service modules. A newcomer who writes a query in a screen fails here, not in review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The source without comments, so that a doc comment may name a table or a statement.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words that begin a statement inside a string literal.
const SQL: [&str; 12] = [
    "\"SELECT ",
    "\"INSERT ",
    "\"UPDATE ",
    "\"DELETE ",
    "\"CREATE ",
    "\"DROP ",
    "\"ALTER ",
    "\"PRAGMA",
    "\"BEGIN",
    "\"WITH ",
    " FROM applications",
    "sqlite_",
];

#[test]
fn sql_and_the_engines_crates_live_only_in_store() {
    let store = src().join("store");
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut offences = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&store)) {
        let code = code_of(file);
        if code.contains("rusqlite") {
            offences.push(format!("{}: imports rusqlite", file.display()));
        }
        if code.contains("postgres::") {
            offences.push(format!("{}: imports postgres", file.display()));
        }
        for word in SQL {
            if code.contains(word) {
                offences.push(format!("{}: SQL ({})", file.display(), word.trim()));
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

#[test]
fn the_window_and_the_command_line_go_through_services() {
    let mut files = Vec::new();
    rust_files(&src().join("ui"), &mut files);
    rust_files(&src().join("cli"), &mut files);
    files.push(src().join("main.rs"));
    let mut offences = Vec::new();
    for file in &files {
        let code = code_of(file);
        if code.contains("crate::store") || code.contains("spravka::store") {
            offences.push(format!("{}: reaches into store", file.display()));
        }
        if code.contains(".conn()") || code.contains(".conn_mut()") {
            offences.push(format!("{}: takes the connection", file.display()));
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

/// Whether `from` reaches `target` through the "uses" edges (depth first).
fn reaches(
    uses: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    target: &str,
    seen: &mut BTreeSet<String>,
) -> bool {
    let Some(next) = uses.get(from) else {
        return false;
    };
    next.iter()
        .any(|n| n == target || (seen.insert(n.clone()) && reaches(uses, n, target, seen)))
}

#[test]
fn service_modules_do_not_import_each_other_in_a_cycle() {
    let dir = src().join("service");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|n| n != "mod")
        .collect();
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(me) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        if me == "mod" {
            continue;
        }
        let code = code_of(file);
        let imported = names
            .iter()
            .filter(|other| **other != me)
            .filter(|other| {
                code.contains(&format!("super::{other}"))
                    || code.contains(&format!("service::{other}"))
                    || code.contains(&format!("super::{{{other}"))
            })
            .cloned()
            .collect();
        uses.insert(me, imported);
    }
    let cycles: Vec<&String> = uses
        .keys()
        .filter(|m| reaches(&uses, m, m, &mut BTreeSet::new()))
        .collect();
    assert!(
        cycles.is_empty(),
        "service modules in a cycle: {cycles:?}; {uses:?}"
    );
}
