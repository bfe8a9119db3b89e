//! A writer killed with SIGKILL at random moments loses nothing it committed and leaves a
//! database that `check` finds clean.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use spravka::store::Store;

#[test]
fn killed_writers_lose_no_committed_record() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("crash.db");
    drop(Store::open(&db).unwrap_or_else(|e| panic!("{e}")));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20_261_122);
    let mut committed: Vec<i64> = Vec::new();
    for round in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spravka"))
            .arg("--db")
            .arg(&db)
            .arg("crash-writer")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        // The kill comes at a random moment after the writer's first commit, so that a loaded
        // machine (a slow start of the process) does not leave a round with nothing to test.
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok);
        if first.is_none() {
            let _ = child.wait();
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
            }
            panic!("round {round}: the writer committed nothing: {err}");
        }
        committed.extend(first.and_then(|l| l.trim().parse::<i64>().ok()));
        let reader = std::thread::spawn(move || {
            lines
                .map_while(Result::ok)
                .filter_map(|l| l.trim().parse::<i64>().ok())
                .collect::<Vec<i64>>()
        });
        std::thread::sleep(Duration::from_millis(rng.random_range(200..900)));
        child.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL on Unix
        let _ = child.wait();
        let printed = reader.join().unwrap_or_default();
        committed.extend(printed);

        let store = Store::open(&db).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let report = store.check().unwrap_or_else(|e| panic!("{e}"));
        assert!(report.is_clean(), "round {round}: {report}");
        for id in &committed {
            let (docs, indexed): (i64, i64) = store
                .conn()
                .query_row(
                    "SELECT (SELECT count(*) FROM documents WHERE application_id = ?1), (SELECT count(*) FROM search WHERE rowid = ?1)",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                (docs, indexed),
                (4, 1),
                "round {round}: application {id} is not intact"
            );
        }
    }
    // Each round killed a writer that had committed at least once (the first line is read
    // before the kill), so every round checked something.
    assert!(
        committed.len() >= 5,
        "the writer committed too little to test: {}",
        committed.len()
    );
}
