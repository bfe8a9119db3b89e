//! Issue 12, item 3: evidence that cannot be rewritten quietly. The audit rows about an
//! application carry the hash of its legal record, so a direct UPDATE is named; the chain's head
//! is signed by a signatory's key, so a history rewritten with the chain recomputed is caught.

mod common;

use common::{at, date, ok, world};
use sha2::{Digest, Sha256};
use spravka::service::certificates::{self, ControlAct};
use spravka::service::maintenance;
use spravka::service::maintenance::AuditProblem;

fn check(w: &common::World) -> spravka::store::check::Report {
    ok(maintenance::check(&w.store))
}

#[test]
fn a_clean_history_checks_clean_and_names_its_anchor() {
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    // The life of the certificate: revoked on a control body's act (R§21).
    let certificate = ok(certificates::find_certificate(&w.store, &number));
    let officer = w.officer.clone();
    ok(certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-12-11 10:00"),
        certificate.id,
        &ControlAct {
            body: "Департамент миграционной службы".into(),
            number: "17".into(),
            date: date("2026-12-10"),
        },
        "не по профессии",
    ));
    let report = check(&w);
    assert!(report.is_clean(), "{report}");
    // The signatory signed the head at sign-in (before the certificate existed).
    let anchor = report.anchor.clone().unwrap_or_else(|| panic!("{report}"));
    assert_eq!(anchor.by, "Сейткалиев Нурлан Асетович");
    assert!(anchor.after > 0, "{report}");
    assert!(
        report
            .to_string()
            .contains("rows after it are not anchored yet")
    );
    // The signatory signs in again: the anchor moves to the newest row.
    ok(spravka::service::setup::sign_in(
        &mut w.store,
        "signatory",
        "password-123",
        at("2026-12-11 11:00"),
    ));
    let report = check(&w);
    assert_eq!(report.anchor.map(|a| a.after), Some(0));
}

#[test]
fn a_direct_update_of_a_certificate_is_named() {
    let mut w = world();
    let (application_id, number) = common::issued(&mut w, "Қасымқызы");
    assert!(check(&w).is_clean());
    ok(w.store.conn().execute(
        "UPDATE certificates SET valid_to = '2099-12-31' WHERE number = ?1",
        [&number],
    ));
    let application: String = ok(w.store.conn().query_row(
        "SELECT number FROM applications WHERE id = ?1",
        [application_id],
        |r| r.get(0),
    ));
    let report = check(&w);
    assert!(
        report.audit.iter().any(
            |p| matches!(p, AuditProblem::RecordChanged { application: a, .. } if *a == application)
        ),
        "{report}"
    );
    // The same for a decision's motivation or a score.
    ok(w.store.conn().execute(
        "UPDATE certificates SET valid_to = '2027-02-24' WHERE number = ?1",
        [&number],
    ));
    assert!(check(&w).is_clean(), "{}", check(&w));
    ok(w.store.conn().execute(
        "UPDATE scores SET total = total + 1 WHERE application_id = ?1",
        [application_id],
    ));
    assert!(!check(&w).is_clean());
}

/// The hash `check` expects of an audit row (the attacker knows the algorithm: it is public).
fn rehash(id: i64, fields: &[String], prev: &str, dossier: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(id.to_string().as_bytes());
    hasher.update([0x1f]);
    for part in fields {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    hasher.update(prev.as_bytes());
    hasher.update([0x1f]);
    if !dossier.is_empty() {
        hasher.update(b"dossier");
        hasher.update([0x1f]);
        hasher.update(dossier.as_bytes());
        hasher.update([0x1f]);
    }
    spravka::store::to_hex(&hasher.finalize())
}

/// Rewrites the whole chain from its first row, as someone with the file and the algorithm
/// but no key would, and the recorded head with it.
fn recompute_chain(conn: &rusqlite::Connection) {
    let rows: Vec<(i64, Vec<String>, String)> = {
        let mut stmt = ok(conn.prepare(
            "SELECT id, at, coalesce(user_id, ''), username, action, record, summary, dossier FROM audit ORDER BY id",
        ));
        let rows = ok(stmt.query_map([], |r| {
            let user: rusqlite::types::Value = r.get(2)?;
            let user = match user {
                rusqlite::types::Value::Integer(n) => n.to_string(),
                _ => String::new(),
            };
            Ok((
                r.get::<_, i64>(0)?,
                vec![
                    r.get::<_, String>(1)?,
                    user,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ],
                r.get::<_, String>(7)?,
            ))
        }));
        rows.map(ok).collect()
    };
    let mut prev = "0".repeat(64);
    for (id, fields, dossier) in rows {
        let hash = rehash(id, &fields, &prev, &dossier);
        ok(conn.execute(
            "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![id, prev, hash],
        ));
        prev = hash;
    }
    ok(conn.execute("UPDATE audit_head SET last_hash = ?1", [&prev]));
}

/// A world with an issued certificate, the signatory then signed in: the head as it stands
/// is anchored.
fn anchored() -> common::World {
    let mut w = world();
    common::issued(&mut w, "Қасымқызы");
    ok(spravka::service::setup::sign_in(
        &mut w.store,
        "signatory",
        "password-123",
        at("2026-11-26 09:00"),
    ));
    w
}

#[test]
fn a_history_rewritten_with_the_chain_recomputed_breaks_the_signed_anchor() {
    let w = anchored();
    assert!(check(&w).is_clean());
    // Someone edits who decided, and recomputes every hash after it: the chain alone holds…
    let conn = w.store.conn();
    ok(conn.execute(
        "UPDATE audit SET username = 'someone_else' WHERE action = 'decide'",
        [],
    ));
    recompute_chain(conn);
    let report = check(&w);
    assert!(
        !report
            .audit
            .iter()
            .any(|p| matches!(p, AuditProblem::Edited { .. } | AuditProblem::Gap { .. })),
        "the recomputed chain hangs together: {report}"
    );
    // … but the anchor signed before the rewrite does not.
    assert!(
        report
            .audit
            .iter()
            .any(|p| matches!(p, AuditProblem::AnchorBroken { .. })),
        "{report}"
    );
    assert!(!report.is_clean());
}

#[test]
fn rows_deleted_up_to_an_anchor_are_found_without_the_engine_s_counter() {
    let w = anchored();
    let conn = w.store.conn();
    let anchored: i64 =
        ok(conn.query_row("SELECT max(audit_id) FROM audit_anchors", [], |r| r.get(0)));
    // Delete the newest rows, from the anchored one on, and set the head and SQLite's counter
    // back as if they never were.
    ok(conn.execute("DELETE FROM audit WHERE id >= ?1", [anchored]));
    ok(conn.execute(
        "UPDATE audit_head SET last_id = ?1 - 1, last_hash = (SELECT hash FROM audit WHERE id = ?1 - 1)",
        [anchored],
    ));
    ok(conn.execute(
        "UPDATE sqlite_sequence SET seq = ?1 - 1 WHERE name = 'audit'",
        [anchored],
    ));
    let report = check(&w);
    assert!(
        report.audit.iter().any(
            |p| matches!(p, AuditProblem::AnchorBroken { audit_id, .. } if *audit_id == anchored)
        ),
        "{report}"
    );
}

#[test]
fn a_demo_database_checks_clean() {
    // The demo writes through the store, its audit rows with their records' hashes.
    let dir = ok(tempfile::tempdir());
    let mut store = ok(spravka::store::Store::open(&dir.path().join("demo.db")));
    ok(spravka::demo::generate(
        &mut store,
        300,
        3,
        date("2026-11-20"),
        |_| {},
    ));
    let report = ok(maintenance::check(&store));
    assert!(report.is_clean(), "{report}");
}
