//! `spravka rules`: every command's JSON, and bad input rejected with exit 2, one line on
//! stderr and nothing on stdout.

use std::process::Command;

use serde_json::Value;

fn rules(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_spravka"))
        .arg("rules")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run spravka: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = rules(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    assert!(stderr.is_empty(), "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
}

#[test]
fn score_prints_every_field() {
    // R§10, A2.9.2: 3 (higher education) + 4 (4 years) = 7, passes.
    let v = json(&[
        "score",
        "--higher-education",
        "--experience",
        "2020-01-01..2023-12-31",
    ]);
    assert_eq!(v["education_points"], 3);
    assert_eq!(v["experience_years"], 4);
    assert_eq!(v["experience_points"], 4);
    assert_eq!(v["total"], 7);
    assert_eq!(v["threshold"], 6);
    assert_eq!(v["passed"], true);
    assert_eq!(v["scheme"], "236-2023");
    // R§10.2: overlapping periods counted once; 1 year gives 2 points; 5 < 6 fails.
    let v = json(&[
        "score",
        "--higher-education",
        "--experience",
        "2024-01-01..2024-12-31",
        "--experience",
        "2024-06-01..2024-12-31",
    ]);
    assert_eq!(v["experience_years"], 1);
    assert_eq!(v["total"], 5);
    assert_eq!(v["passed"], false);
    let none = json(&["score"]);
    assert_eq!(none["total"], 0);
}

#[test]
fn deadlines_of_an_issue_and_an_extension() {
    // A2.7, R§7, R§11: filed after hours before Nauryz 2026.
    let v = json(&[
        "deadlines",
        "--kind",
        "issue",
        "--filed",
        "2026-03-20T18:45",
    ]);
    assert_eq!(v["kind"], "issue");
    assert_eq!(v["filed"], "2026-03-20T18:45");
    assert_eq!(v["registered"], "2026-03-26");
    assert_eq!(v["forward_by"], "2026-03-30");
    assert_eq!(v["decision_by"], "2026-04-02");
    let explain: Vec<&str> = v["explain"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        explain.contains(&"2026-03-24 skipped: moved from Saturday 21 March (Nauryz)"),
        "{explain:?}"
    );
    // R§16: 3 working days, no forwarding.
    let v = json(&[
        "deadlines",
        "--kind",
        "extend",
        "--filed",
        "2026-11-23T10:00",
    ]);
    assert_eq!(v["decision_by"], "2026-11-26");
    assert!(v.get("forward_by").is_none());
}

#[test]
fn validity_of_issue_and_extension() {
    // R§15, SPEC §6: from 30 November through 28 February.
    let v = json(&["validity", "--kind", "issue", "--from", "2026-11-30"]);
    assert_eq!(v["valid_from"], "2026-11-30");
    assert_eq!(v["valid_to"], "2027-02-28");
    // R§16: the contract's end, at most 3 years.
    let v = json(&[
        "validity",
        "--kind",
        "extend",
        "--from",
        "2026-03-01",
        "--contract-end",
        "2031-01-01",
    ]);
    assert_eq!(v["valid_to"], "2029-02-28");
}

#[test]
fn identifiers() {
    // SPEC §8.
    let v = json(&["iin", "871008401427"]);
    assert_eq!(v["valid"], true);
    assert_eq!(v["birth_date"], "1987-10-08");
    assert_eq!(v["sex"], "female");
    let v = json(&["iin", "871008401428"]);
    assert_eq!(v["valid"], false);
    assert!(v.get("birth_date").is_none());
    let v = json(&["iin", "821214240092"]);
    assert_eq!(v["valid"], false);
    let v = json(&["bin", "940140000385"]);
    assert_eq!(v["valid"], true);
    assert_eq!(v["registered"], "1994-01");
    assert_eq!(v["type"], "resident_legal_entity");
    assert_eq!(v["unit"], "head_office");
}

#[test]
fn working_days() {
    // SPEC §3 examples.
    let v = json(&["working-day", "2025-01-05"]);
    assert_eq!(v["working"], true);
    assert_eq!(v["reason"], "working Sunday by decree");
    let v = json(&["working-day", "2026-03-24"]);
    assert_eq!(v["working"], false);
    assert_eq!(v["reason"], "moved from Saturday 21 March (Nauryz)");
    let v = json(&["working-day", "2026-03-21"]);
    assert_eq!(v["reason"], "Nauryz");
    let v = json(&["working-day", "2024-06-17"]);
    assert_eq!(v["working"], true);
    let v = json(&["working-day", "2026-11-21"]);
    assert_eq!(v["reason"], "weekend");
}

#[test]
fn bad_input_exits_2_with_one_line_and_no_stdout() {
    let cases: &[&[&str]] = &[
        &["working-day", "2025-02-30"],
        &["working-day", "25-01-05"],
        &[
            "deadlines",
            "--kind",
            "renew",
            "--filed",
            "2026-01-01T10:00",
        ],
        &["deadlines", "--filed", "2026-01-01T10:00"],
        &[
            "deadlines",
            "--kind",
            "issue",
            "--filed",
            "2026-01-01T25:00",
        ],
        &["score", "--experience", "2021-01-01..2020-01-01"],
        &["score", "--experience", "2021-01-01"],
        &["validity", "--kind", "extend", "--from", "2026-01-01"],
        &[
            "validity",
            "--kind",
            "extend",
            "--from",
            "2026-01-01",
            "--contract-end",
            "2025-12-31",
        ],
        &["validity", "--kind", "issue"],
        &["iin", "12345"],
        &["iin", "8710084014271"],
        &["bin", "94014000038x"],
        &["frobnicate"],
    ];
    for args in cases {
        let (code, stdout, stderr) = rules(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}
