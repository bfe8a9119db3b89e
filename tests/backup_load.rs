//! A backup finishes while another workstation commits every 10 ms (issue 12, item 4).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use spravka::service::maintenance;
use spravka::store::Store;

#[test]
fn a_backup_finishes_under_a_writer_committing_every_10_ms() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("spravka.db");
    let mut store = Store::open(&db).unwrap_or_else(|e| panic!("{e}"));
    // 24 MB of scans, so that the copy takes many pages.
    {
        let conn = store.conn();
        for i in 0..48u32 {
            let content = vec![u8::try_from(i % 251).unwrap_or(0); 500 * 1024];
            conn.execute(
                "INSERT INTO files (sha256, size, mime, content) VALUES (?1, ?2, 'application/pdf', ?3)",
                rusqlite::params![format!("{i:064}"), i64::try_from(content.len()).unwrap_or(0), content],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        conn.execute_batch("CREATE TABLE scratch (x INTEGER)")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let session =
        spravka::service::setup::system_session(&mut store, now).unwrap_or_else(|e| panic!("{e}"));

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = Arc::clone(&stop);
        let db = db.clone();
        std::thread::spawn(move || {
            let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
            conn.busy_timeout(Duration::from_secs(10))
                .unwrap_or_else(|e| panic!("{e}"));
            let mut commits = 0u32;
            while !stop.load(Ordering::Relaxed) {
                conn.execute("INSERT INTO scratch (x) VALUES (?1)", [commits])
                    .unwrap_or_else(|e| panic!("{e}"));
                commits += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            commits
        })
    };
    std::thread::sleep(Duration::from_millis(50));
    let out = dir.path().join("copy.db");
    let (done, finished) = mpsc::channel();
    let copy = out.clone();
    let backup = std::thread::spawn(move || {
        let result = maintenance::backup(&store, &session, &copy).map_err(|e| e.to_string());
        let _ = done.send(result);
    });
    // A liveness check, not a speed goal: the old stepwise copy never finished here.
    let result = finished.recv_timeout(Duration::from_mins(2));
    stop.store(true, Ordering::Relaxed);
    let commits = writer.join().unwrap_or(0);
    assert!(
        matches!(result, Ok(Ok(()))),
        "the backup did not finish under the writer: {result:?}"
    );
    let _ = backup.join();
    assert!(
        commits > 3,
        "the writer wrote while the backup ran: {commits}"
    );
    let copy = rusqlite::Connection::open(&out).unwrap_or_else(|e| panic!("{e}"));
    let files: i64 = copy
        .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files, 48);
}
