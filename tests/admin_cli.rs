//! The administrator's commands, run as a user runs them.

use std::path::Path;
use std::process::Command;

fn spravka(db: &Path, args: &[&str]) -> (i32, String, String) {
    run(db, None, args)
}

/// Runs a command signed in as `user` of the demo (password from SPRAVKA_PASSWORD), or with no
/// sign-in at all.
fn run(db: &Path, user: Option<(&str, &str)>, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spravka"));
    command.arg("--db").arg(db).env_remove("SPRAVKA_PASSWORD");
    // The data folder (the log) beside the test's database, not the user's.
    if let Some(dir) = db.parent() {
        command.env("XDG_DATA_HOME", dir);
    }
    if let Some((name, password)) = user {
        command
            .arg("--user")
            .arg(name)
            .env("SPRAVKA_PASSWORD", password);
    }
    let output = command
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run spravka: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = spravka(db, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

/// [`ok`] signed in as `user` of the demo.
fn ok_as(db: &Path, user: &str, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(db, Some((user, "demo-password")), args);
    assert_eq!(code, 0, "{user} {args:?}: {stderr}");
    stdout
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn init_demo_check_backup_restore() {
    let d = dir();
    let db = d.path().join("spravka.db");
    assert!(ok(&db, &["init"]).contains("ready"));
    let out = ok(
        &db,
        &[
            "demo",
            "--applications",
            "600",
            "--seed",
            "3",
            "--until",
            "2026-11-20",
        ],
    );
    assert!(out.contains("600 applications"), "{out}");
    let report = ok(&db, &["check"]);
    assert!(
        report.contains("applications: 600") && report.trim_end().ends_with("clean"),
        "{report}"
    );
    let copy = d.path().join("copy.db");
    ok(&db, &["backup", "--out", copy.to_str().unwrap_or_default()]);
    // Refuses to overwrite an existing file.
    let (code, _, stderr) = spravka(&db, &["backup", "--out", copy.to_str().unwrap_or_default()]);
    assert_eq!(code, 1, "{stderr}");
    ok_as(
        &db,
        "admin",
        &[
            "demo",
            "--applications",
            "10",
            "--seed",
            "4",
            "--until",
            "2026-11-20",
        ],
    );
    let restored = ok_as(
        &db,
        "admin",
        &["restore", copy.to_str().unwrap_or_default()],
    );
    assert!(restored.contains("kept as"), "{restored}");
    assert!(ok(&db, &["check"]).contains("applications: 600"));
}

#[test]
fn demo_is_deterministic() {
    let d = dir();
    let a = d.path().join("a.db");
    let b = d.path().join("b.db");
    for db in [&a, &b] {
        ok(
            db,
            &[
                "demo",
                "--applications",
                "2500",
                "--seed",
                "9",
                "--until",
                "2026-11-20",
            ],
        );
    }
    let dump = |db: &Path| -> Vec<(String, String, String, Option<String>)> {
        let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("{e}"));
        let mut stmt = conn
            .prepare("SELECT a.number, p.surname, a.status, c.number FROM applications a JOIN applicants p ON p.id = a.applicant_id LEFT JOIN certificates c ON c.application_id = a.id ORDER BY a.id")
            .unwrap_or_else(|e| panic!("{e}"));
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap_or_else(|e| panic!("{e}"))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let rows = dump(&a);
    assert_eq!(rows, dump(&b));
    // Every kind and status is present.
    let conn = rusqlite::Connection::open(&a).unwrap_or_else(|e| panic!("{e}"));
    for (sql, min) in [
        ("SELECT count(DISTINCT kind) FROM applications", 4),
        ("SELECT count(DISTINCT status) FROM applications", 7),
        ("SELECT count(DISTINCT status) FROM certificates", 4),
    ] {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0)).unwrap_or(0);
        assert!(n >= min, "{sql}: {n}");
    }
}

#[test]
fn export_csv_and_xlsx() {
    let d = dir();
    let db = d.path().join("spravka.db");
    ok(
        &db,
        &["demo", "--applications", "50", "--until", "2026-11-20"],
    );
    let csv = d.path().join("apps.csv");
    assert!(
        ok_as(
            &db,
            "officer",
            &[
                "export",
                "applications",
                "--format",
                "csv",
                "--out",
                csv.to_str().unwrap_or_default()
            ]
        )
        .contains("50 rows")
    );
    let text = std::fs::read_to_string(&csv).unwrap_or_default();
    assert!(text.starts_with("Номер,Вид,Статус"));
    assert_eq!(text.lines().count(), 51);
    // Issue 14: kinds and statuses in words, not codes; `--lang kk` writes them in Kazakh.
    assert!(!text.contains(",issue,"), "{text}");
    assert!(text.contains(",Выдача,"), "{text}");
    let kk = d.path().join("apps-kk.csv");
    ok_as(
        &db,
        "officer",
        &[
            "export",
            "applications",
            "--format",
            "csv",
            "--lang",
            "kk",
            "--out",
            kk.to_str().unwrap_or_default(),
        ],
    );
    let text = std::fs::read_to_string(&kk).unwrap_or_default();
    assert!(text.starts_with("Нөмірі,Түрі,Мәртебесі"), "{text}");
    assert!(text.contains(",Беру,"), "{text}");
    let xlsx = d.path().join("certs.xlsx");
    ok_as(
        &db,
        "officer",
        &[
            "export",
            "certificates",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap_or_default(),
        ],
    );
    let bytes = std::fs::read(&xlsx).unwrap_or_default();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");
}

const GOOD: &str = r#"[
  {"kind": "issue", "filed_at": "2026-11-20T10:15", "channel": "egov", "consent": true,
   "applicant": {"surname": "Қасымқызы", "given_name": "Айгерім", "citizenship": "Кыргызстан", "birth_date": "1987-10-08",
                 "iin": "871008401427", "document": {"type": "паспорт", "series": "AC", "number": "1234567"}},
   "profession": "3.1.2", "documents": ["application", "identity_document", "education_or_english_certificate", "work_activity"]},
  {"kind": "issue", "filed_at": "2026-11-20T19:00", "channel": "paper", "consent": true,
   "applicant": {"surname": "Smith", "given_name": "John", "citizenship": "Великобритания", "birth_date": "1980-01-01",
                 "document": {"type": "passport", "number": "533000111"}},
   "profession": "2.1.3", "documents": ["application"]}
]"#;

#[test]
fn import_all_or_nothing_with_a_report() {
    let d = dir();
    let db = d.path().join("spravka.db");
    ok(&db, &["demo", "--applications", "0"]);
    let bad = d.path().join("bad.json");
    let broken = GOOD
        .replace(
            "\"consent\": true,\n   \"applicant\": {\"surname\": \"Smith\"",
            "\"consent\": false,\n   \"applicant\": {\"surname\": \"Smith\"",
        )
        .replace("\"3.1.2\"", "\"9.9.9\"");
    std::fs::write(&bad, broken).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = run(
        &db,
        Some(("officer", "demo-password")),
        &["import", "applications", bad.to_str().unwrap_or_default()],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("record 1") && stderr.contains("record 2"),
        "{stderr}"
    );
    assert!(ok(&db, &["check"]).contains("applications: 0"));
    let good = d.path().join("good.json");
    std::fs::write(&good, GOOD).unwrap_or_else(|e| panic!("{e}"));
    let out = ok_as(
        &db,
        "officer",
        &["import", "applications", good.to_str().unwrap_or_default()],
    );
    assert!(out.contains("2 applications imported"), "{out}");
    let report = ok(&db, &["check"]);
    assert!(
        report.contains("applications: 2") && report.trim_end().ends_with("clean"),
        "{report}"
    );
}

#[test]
fn a_foreign_file_is_refused_by_every_command() {
    let d = dir();
    let db = d.path().join("notes.txt");
    std::fs::write(&db, "не база").unwrap_or_else(|e| panic!("{e}"));
    for args in [&["init"][..], &["demo", "--applications", "1"]] {
        let (code, _, stderr) = spravka(&db, args);
        assert_eq!(code, 1);
        assert!(stderr.contains("is not a spravka database"), "{stderr}");
    }
    assert_eq!(std::fs::read_to_string(&db).unwrap_or_default(), "не база");
}

#[test]
fn commands_with_applicants_data_sign_in_and_act_with_the_user_s_roles() {
    // Issue 12, item 6: no --user, a wrong password, a role without the right: refused, and
    // the export happens under the user's own name in the log.
    let d = dir();
    let db = d.path().join("spravka.db");
    ok(
        &db,
        &["demo", "--applications", "20", "--until", "2026-11-20"],
    );
    let out = d.path().join("apps.csv");
    let export = [
        "export",
        "applications",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap_or_default(),
    ];
    let (code, _, stderr) = spravka(&db, &export);
    assert_eq!(code, 1);
    assert!(stderr.contains("sign in with --user NAME"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    let (code, _, stderr) = run(&db, Some(("officer", "wrong-password")), &export);
    assert_eq!(code, 1);
    assert!(stderr.contains("wrong username or password"), "{stderr}");
    let (code, _, stderr) = run(&db, Some(("member", "demo-password")), &export);
    assert_eq!(code, 1);
    assert!(stderr.contains("do not allow"), "{stderr}");
    assert!(!out.exists(), "nothing written when refused");
    ok_as(&db, "officer", &export);
    assert!(out.exists());
    // Commands that need no sign-in still run without one.
    ok(&db, &["check"]);
    let copy = d.path().join("copy.db");
    ok(&db, &["backup", "--out", copy.to_str().unwrap_or_default()]);
    // The log names the officer, and the failed attempt.
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let who: String = conn
        .query_row(
            "SELECT username FROM audit WHERE action = 'export' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(who, "officer");
    let failed: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'sign_in_failed'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(failed, 1);
    // A restore is the administrator's, and a demo into a database with data too.
    let (code, _, stderr) = run(
        &db,
        Some(("officer", "demo-password")),
        &["restore", copy.to_str().unwrap_or_default()],
    );
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = spravka(&db, &["demo", "--applications", "5"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--user"), "{stderr}");
}

#[test]
fn a_failed_command_is_kept_in_the_log() {
    // Issue 17: on Windows the console may be gone by the time someone asks what happened.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("spravka.db");
    let (code, _, err) = run(&db, None, &["init"]);
    assert_eq!(code, 0, "{err}");
    let log = dir.path().join("spravka").join("spravka.log");
    assert!(!log.exists(), "a command that succeeds writes no log");
    let out = dir.path().join("taken.db");
    std::fs::write(&out, b"x").unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run(&db, None, &["backup", "--out", &out.to_string_lossy()]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let text = std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
    assert!(
        text.contains("ERROR [spravka::cli] a command failed"),
        "{text}"
    );
    assert!(text.contains("already exists"), "{text}");
}
