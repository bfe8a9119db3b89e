//! Opening, refusing, checking, backing up and restoring database files.

mod common;

use std::path::Path;

use common::{at, ok, register, world};
use spravka::domain::scoring::ScoreInput;
use spravka::service::applications;
use spravka::service::certificates::{self, Decision};
use spravka::service::commission::{self, Recommendation};
use spravka::store::{OpenError, Store, backup, check};

fn bytes(path: &Path) -> Vec<u8> {
    ok(std::fs::read(path))
}

#[test]
fn a_new_file_is_created_migrated_and_filled() {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("sub").join("new.db");
    let store = ok(Store::open(&path));
    let conn = store.conn();
    let professions: i64 = ok(conn.query_row("SELECT count(*) FROM professions", [], |r| r.get(0)));
    assert!(professions > 60);
    let order49: i64 =
        ok(conn.query_row("SELECT count(*) FROM order49_professions", [], |r| r.get(0)));
    assert_eq!(order49, 51);
    let years: i64 = ok(conn.query_row("SELECT count(*) FROM calendar_years", [], |r| r.get(0)));
    assert_eq!(years, 5);
    let journal: String = ok(conn.pragma_query_value(None, "journal_mode", |r| r.get(0)));
    assert_eq!(journal, "wal");
    let fk: i64 = ok(conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)));
    assert_eq!(fk, 1);
    drop(store);
    // Opening again adds nothing twice.
    let again = ok(Store::open(&path));
    let professions_again: i64 =
        ok(again
            .conn()
            .query_row("SELECT count(*) FROM professions", [], |r| r.get(0)));
    assert_eq!(professions_again, professions);
}

#[test]
fn a_foreign_file_is_refused_and_left_untouched() {
    let dir = ok(tempfile::tempdir());
    let text = dir.path().join("notes.db");
    ok(std::fs::write(&text, "просто текст, не база данных"));
    let before = bytes(&text);
    let refused = Store::open(&text);
    assert!(
        matches!(refused, Err(OpenError::NotSpravka { .. })),
        "{refused:?}"
    );
    assert_eq!(bytes(&text), before);

    // Another program's SQLite file.
    let other = dir.path().join("other.db");
    {
        let conn = ok(rusqlite::Connection::open(&other));
        ok(conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);"));
    }
    let before = bytes(&other);
    let refused = Store::open(&other);
    let message = refused
        .as_ref()
        .err()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        matches!(refused, Err(OpenError::NotSpravka { .. })),
        "{message}"
    );
    assert!(message.contains("other.db"), "{message}");
    assert_eq!(bytes(&other), before);
    assert!(!Path::new(&format!("{}-wal", other.display())).exists());
}

#[test]
fn a_damaged_file_is_refused_with_the_last_backup_and_left_untouched() {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("spravka.db");
    {
        let mut store = ok(Store::open(&path));
        ok(store
            .conn_mut()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);"));
        ok(store.automatic_backup(at("2026-11-20 18:00")));
    }
    // Overwrite pages in the middle of the file.
    let mut content = bytes(&path);
    assert!(content.len() > 40_000, "{}", content.len());
    for b in &mut content[20_000..36_000] {
        *b = 0xA5;
    }
    ok(std::fs::write(&path, &content));
    let refused = Store::open(&path);
    let message = refused
        .as_ref()
        .err()
        .map(ToString::to_string)
        .unwrap_or_default();
    match &refused {
        Err(OpenError::Damaged {
            last_backup: Some(backup),
            ..
        }) => {
            assert!(
                backup
                    .to_string_lossy()
                    .contains("spravka-20261120-180000.db")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        message.contains("spravka.db") && message.contains("Last backup"),
        "{message}"
    );
    assert_eq!(bytes(&path), content);
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("spravka.db");
    {
        let store = ok(Store::open(&path));
        ok(store.conn().pragma_update(None, "user_version", 99));
        ok(store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);"));
    }
    let before = bytes(&path);
    let refused = Store::open(&path);
    assert!(
        matches!(refused, Err(OpenError::Newer { found: 99, .. })),
        "{refused:?}"
    );
    assert_eq!(bytes(&path), before);
}

fn the_audit_chain_detects_an_edited_and_a_deleted_row() {
    let mut w = world();
    register(&mut w, "Ахмедов", "2026-11-23 10:00");
    register(&mut w, "Бахтиярова", "2026-11-23 10:05");
    register(&mut w, "Ватутин", "2026-11-23 10:10");
    let clean = ok(w.store.check());
    assert!(clean.is_clean(), "{clean}");
    let rows = clean.audit_rows;
    assert!(rows >= 8);

    ok(w.store
        .execute_raw("UPDATE audit SET summary = summary || ' (исправлено)' WHERE id = 5"));
    let report = ok(w.store.check());
    assert!(!report.is_clean());
    assert!(
        report.to_string().contains("audit row 5 was changed"),
        "{report}"
    );
    // Undo the edit by restoring the original text, then delete a row in the middle.
    ok(w.store.execute_raw(
        "UPDATE audit SET summary = replace(summary, ' (исправлено)', '') WHERE id = 5",
    ));
    assert!(ok(w.store.check()).is_clean());
    ok(w.store.execute_raw("DELETE FROM audit WHERE id = 6"));
    let report = ok(w.store.check());
    assert!(report.to_string().contains("between 5 and 7"), "{report}");
    // Deleting the newest row is found through the id counter.
    let last = common::count(&w.store, "SELECT max(id) FROM audit");
    ok(w.store
        .execute_raw(&format!("DELETE FROM audit WHERE id = {last}")));
    let report = ok(w.store.check());
    assert!(
        report.to_string().contains(&format!("after {}", last - 1)),
        "{report}"
    );
}

fn a_deleted_newest_row_is_found_even_after_new_rows_and_a_forged_one_too() {
    let mut w = world();
    register(&mut w, "Ахмедов", "2026-11-23 10:00");
    let last = common::count(&w.store, "SELECT max(id) FROM audit");
    ok(w.store
        .execute_raw(&format!("DELETE FROM audit WHERE id = {last}")));
    // The next write does not give the deleted id again: the hole stays visible.
    register(&mut w, "Бахтиярова", "2026-11-23 10:05");
    let report = ok(w.store.check());
    assert!(
        report
            .to_string()
            .contains(&format!("between {} and {}", last - 1, last + 1)),
        "{report}"
    );

    // A row added by hand after the recorded head is not spravka's.
    let mut w = world();
    register(&mut w, "Ватутин", "2026-11-23 10:10");
    ok(w.store.execute_raw(
        "INSERT INTO audit (id, at, username, action, record, summary, prev_hash, hash)
         SELECT id + 1, at, username, action, record, summary, hash, hash FROM audit ORDER BY id DESC LIMIT 1",
    ));
    let report = ok(w.store.check());
    assert!(
        report.to_string().contains("not written by spravka"),
        "{report}"
    );
}

#[test]
fn backup_and_restore_round_trip() {
    let mut w = world();
    let first = register(&mut w, "Первый", "2026-11-23 10:00");
    let path = w.store.path().to_path_buf();
    let copy = w.dir.path().join("copy.db");
    ok(w.store.backup_to(&copy));
    register(&mut w, "Второй", "2026-11-23 10:05");
    let report = ok(check::check_file(&copy));
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.applications, 1);
    drop(w.store);
    let kept = ok(check::restore(&path, &copy, at("2026-11-23 12:00")));
    let kept = kept.unwrap_or_else(|| panic!("the replaced file must be kept"));
    assert!(kept.exists());
    let store = ok(Store::open(&path));
    let ids: Vec<i64> = {
        let mut stmt = ok(store.conn().prepare("SELECT id FROM applications"));
        ok(ok(stmt.query_map([], |r| r.get(0))).collect::<Result<Vec<i64>, _>>())
    };
    assert_eq!(ids, vec![first.id]);
}

#[test]
fn a_restore_reaches_a_workstation_that_goes_on_writing() {
    // Issue 12, item 4: the backup is written into the database through SQLite, so another
    // connection still open on it writes into the restored database afterwards, not into the
    // file kept aside.
    let mut w = world();
    register(&mut w, "Первый", "2026-11-23 10:00");
    let path = w.dir.path().join("spravka.db");
    let copy = w.dir.path().join("copy.db");
    ok(w.store.backup_to(&copy));
    register(&mut w, "Второй", "2026-11-23 10:05");
    let app = common::issue_application(&w, "2026-11-23 11:00");
    let officer = w.officer.clone();
    let (restored_tx, restored_rx) = std::sync::mpsc::channel::<()>();
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            let mut store = ok(Store::open(&path));
            let docs = spravka::domain::documents::required_documents(
                spravka::domain::ApplicationKind::Issue,
                None,
            );
            let mut restored = false;
            let mut after = Vec::new();
            for _ in 0..2000 {
                restored |= restored_rx.try_recv().is_ok();
                let reg = ok(applications::register_application(
                    &mut store,
                    &officer,
                    at("2026-11-23 11:00"),
                    None,
                    &common::applicant("Писатель"),
                    &app,
                    &docs,
                ));
                if restored {
                    after.push(reg.id);
                    if after.len() == 20 {
                        break;
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            after
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(150));
    let kept = ok(check::restore(&path, &copy, at("2026-11-23 12:00")));
    ok(restored_tx.send(()));
    let after = writer
        .join()
        .unwrap_or_else(|_| panic!("the writer panicked"));
    assert_eq!(after.len(), 20);
    let kept = kept.unwrap_or_else(|| panic!("the replaced database must be kept"));
    assert!(kept.exists());
    // The restored database: the first application, no «Второй», and the twenty written after.
    let store = ok(Store::open(&path));
    let surnames: Vec<String> = {
        let mut stmt = ok(store.conn().prepare(
            "SELECT p.surname FROM applications a JOIN applicants p ON p.id = a.applicant_id ORDER BY a.id",
        ));
        ok(ok(stmt.query_map([], |r| r.get(0))).collect::<Result<Vec<String>, _>>())
    };
    assert_eq!(surnames.first().map(String::as_str), Some("Первый"));
    assert!(!surnames.iter().any(|s| s == "Второй"), "{surnames:?}");
    let written_after = surnames.iter().filter(|s| *s == "Писатель").count();
    assert!(
        written_after >= 20,
        "{written_after} of the writer's applications after the restore"
    );
    // The kept copy has «Второй».
    let old = ok(check::check_file(&kept));
    assert!(old.applications >= 2);
}

#[test]
fn opening_the_file_takes_no_write_lock_while_another_workstation_writes() {
    // Issue 12, item 4: a long import holds the write lock; opening the file to verify a
    // certificate only reads, and does not fail with «database is locked» (before, every
    // opening took the write lock to refill the reference lists).
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let path = w.dir.path().join("spravka.db");
    let importer = ok(rusqlite::Connection::open(&path));
    ok(importer.execute_batch("BEGIN IMMEDIATE; UPDATE body SET region = region WHERE id = 1;"));
    let store = ok(Store::open(&path));
    let v = ok(spravka::service::printing::verify(&store, &number));
    assert!(v.found);
    ok(importer.execute_batch("COMMIT"));
}

#[test]
fn moving_a_per_user_database_to_the_machine_folder_keeps_the_old_file_aside() {
    // Issue 17: the first start on Windows moves %APPDATA%'s database to ProgramData.
    let mut w = world();
    let first = register(&mut w, "Перенесённый", "2026-11-23 10:00");
    let from = w.dir.path().join("spravka.db");
    let to = w
        .dir
        .path()
        .join("ProgramData")
        .join("spravka")
        .join("spravka.db");
    drop(w.store);
    let aside = ok(backup::move_database(&from, &to, at("2026-11-23 12:00")));
    assert!(
        !from.exists(),
        "the old name is free, nothing opens it by mistake"
    );
    assert!(aside.exists());
    assert!(
        aside
            .to_string_lossy()
            .ends_with("spravka.moved-20261123-120000")
    );
    let report = ok(check::check_file(&to));
    assert!(report.is_clean(), "{report}");
    let store = ok(Store::open(&to));
    let ids: Vec<i64> = {
        let mut stmt = ok(store.conn().prepare("SELECT id FROM applications"));
        ok(ok(stmt.query_map([], |r| r.get(0))).collect::<Result<Vec<i64>, _>>())
    };
    assert_eq!(ids, vec![first.id]);
    // A second move onto an existing database is refused and changes nothing.
    drop(store);
    let before = bytes(&to);
    assert!(backup::move_database(&aside, &to, at("2026-11-23 12:05")).is_err());
    assert!(aside.exists());
    assert_eq!(bytes(&to), before);
}

#[test]
fn restore_refuses_a_file_that_fails_check() {
    let mut w = world();
    register(&mut w, "Третий", "2026-11-23 10:00");
    let path = w.dir.path().join("spravka.db");
    let copy = w.dir.path().join("tampered.db");
    ok(w.store.backup_to(&copy));
    {
        let conn = ok(rusqlite::Connection::open(&copy));
        ok(conn.execute("UPDATE audit SET username = 'someone' WHERE id = 2", []));
    }
    let before = bytes(&path);
    let refused = check::restore(&path, &copy, at("2026-11-23 12:00"));
    assert!(refused.is_err());
    assert_eq!(bytes(&path), before);
}

#[test]
fn automatic_backups_keep_the_newest_fourteen() {
    let w = world();
    let path = w.dir.path().join("spravka.db");
    for day in 1..=16 {
        let now = at(&format!("2026-10-{day:02} 18:00"));
        ok(w.store.automatic_backup(now));
    }
    let list = backup::list_backups(&path);
    assert_eq!(list.len(), backup::KEEP);
    assert!(list[0].to_string_lossy().contains("20261003"));
    assert!(backup::backed_up_today(&path, at("2026-10-16 19:00")));
}

fn numbers_are_unique_under_concurrent_issuing_from_two_connections() {
    // SPEC §6: numbers unique per body and never reused.
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let mut ids = Vec::new();
    for i in 0..20 {
        let reg = register(&mut w, &format!("Параллельный{i}"), "2026-11-23 10:00");
        ok(applications::forward_to_commission(
            &mut w.store,
            &officer,
            at("2026-11-23 11:00"),
            reg.id,
        ));
        ids.push(reg.id);
    }
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        common::date("2026-11-24"),
        "каб. 1",
        &ids,
    ));
    for id in &ids {
        let input = ScoreInput {
            higher_education: true,
            english_certificate: true,
            ..ScoreInput::default()
        };
        ok(commission::score(
            &mut w.store,
            &secretary,
            at("2026-11-24 10:00"),
            meeting,
            *id,
            None,
            &input,
        ));
        ok(commission::recommend(
            &mut w.store,
            &secretary,
            at("2026-11-24 10:00"),
            Some(meeting),
            *id,
            &Recommendation::Issue,
        ));
    }
    let path = w.store.path().to_path_buf();
    let halves: Vec<Vec<i64>> = ids.chunks(10).map(<[i64]>::to_vec).collect();
    let handles: Vec<_> = halves
        .into_iter()
        .map(|half| {
            let path = path.clone();
            let officer = officer.clone();
            std::thread::spawn(move || {
                let mut store = ok(Store::open(&path));
                half.iter()
                    .map(|id| {
                        let out = ok(certificates::decide(
                            &mut store,
                            &officer,
                            at("2026-11-25 10:00"),
                            *id,
                            &Decision::Issue {
                                valid_to: None,
                                basis: String::new(),
                            },
                        ));
                        out.number.unwrap_or_default()
                    })
                    .collect::<Vec<String>>()
            })
        })
        .collect();
    let mut numbers: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap_or_default())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("{n:05}/2026")).collect();
    assert_eq!(numbers, expected);
}

#[test]
fn a_manual_backup_is_the_administrators() {
    use spravka::service::{ServiceError, maintenance};
    let w = world();
    let out = w.dir.path().join("manual.db");
    let refused = maintenance::backup(&w.store, &w.officer, &out);
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(!out.exists());
    ok(maintenance::backup(&w.store, &w.admin, &out));
    assert!(ok(maintenance::check_file(&out)).is_clean());
    assert_eq!(
        maintenance::backups(w.store.path()),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn backing_up_now_is_the_administrators_and_lists_the_new_copy() {
    use spravka::service::{ServiceError, maintenance};
    let w = world();
    let now = at("2026-11-23 10:00");
    let refused = maintenance::backup_now(&w.store, &w.officer, now);
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(maintenance::backup_list(w.store.path()).is_empty());
    let first = ok(maintenance::backup_now(&w.store, &w.admin, now));
    // A second one in the same second gets its own name.
    let second = ok(maintenance::backup_now(&w.store, &w.admin, now));
    assert_ne!(first, second);
    let list = maintenance::backup_list(w.store.path());
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].path, second, "newest first");
    assert_eq!(list[1].path, first);
    assert_eq!(list[0].taken_at, Some(now));
    assert!(list[0].size > 0);
    assert_eq!(list[0].size, ok(std::fs::metadata(&second)).len());
    assert!(ok(maintenance::check_file(&second)).is_clean());
}

// The store's cases that are about the data, not the file: on both engines.
engines!(
    the_audit_chain_detects_an_edited_and_a_deleted_row,
    a_deleted_newest_row_is_found_even_after_new_rows_and_a_forged_one_too,
    numbers_are_unique_under_concurrent_issuing_from_two_connections,
);
