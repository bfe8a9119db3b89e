//! `verify` tells the whole truth: which key signed, whether the code's fields are the
//! register's, the certificate's status — and nothing that reads like "valid" after "forged"
//! (issue 12, item 2).

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{at, ok, world};
use ed25519_dalek::{Signer, SigningKey};
use spravka::service::printing::{self, CodeField};

#[test]
fn a_code_signed_with_the_body_s_key_but_other_fields_is_named_field_by_field() {
    let mut w = world();
    let officer = w.officer.clone();
    common::issued(&mut w, "Ұлықбекова");
    let code = ok(printing::qr_payload(
        &mut w.store,
        &officer,
        at("2026-11-25 10:05"),
        "00001/2026",
    ));
    let v = ok(printing::verify(&w.store, &code));
    assert_eq!(v.authentic, Some(true));
    assert!(v.differences.is_empty(), "{:?}", v.differences);
    assert_eq!(v.key.as_deref().map(str::len), Some(16));

    // Someone with a copy of the file signs other initials and valid-to 2099 with the stored
    // key: the signature holds (issue 12, item 1 is what takes the key out of the file), but
    // the register says otherwise and verify names both fields.
    let secret: Vec<u8> = ok(w.store.conn().query_row(
        "SELECT secret FROM signing_keys ORDER BY id DESC LIMIT 1",
        [],
        |r| r.get(0),
    ));
    let key = SigningKey::from_bytes(&<[u8; 32]>::try_from(secret.as_slice()).unwrap_or([0; 32]));
    let parts: Vec<&str> = code.split('|').collect();
    let forged = format!("S1|{}|Х.Х.|{}|{}|2099-12-31", parts[1], parts[3], parts[4]);
    let signature = URL_SAFE_NO_PAD.encode(key.sign(forged.as_bytes()).to_bytes());
    let v = ok(printing::verify(&w.store, &format!("{forged}|{signature}")));
    assert_eq!(v.authentic, Some(true));
    let fields: Vec<CodeField> = v.differences.iter().map(|d| d.field).collect();
    assert_eq!(fields, [CodeField::Initials, CodeField::ValidTo]);
    assert_eq!(v.differences[1].in_code, "2099-12-31");

    // A direct UPDATE of the register is named the other way round: the honest paper now
    // disagrees with the edited row.
    ok(w.store.conn().execute(
        "UPDATE certificates SET valid_to = '2099-12-31' WHERE number = '00001/2026'",
        [],
    ));
    let v = ok(printing::verify(&w.store, &code));
    assert_eq!(v.differences.len(), 1);
    assert_eq!(v.differences[0].field, CodeField::ValidTo);
    assert_eq!(v.differences[0].in_register, "2099-12-31");
}

fn spravka(db: &std::path::Path, args: &[&str]) -> (i32, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_spravka"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn after_forged_the_command_line_says_nothing_that_reads_like_valid() {
    let mut w = world();
    let officer = w.officer.clone();
    common::issued(&mut w, "Ұлықбекова");
    let code = ok(printing::qr_payload(
        &mut w.store,
        &officer,
        at("2026-11-25 10:05"),
        "00001/2026",
    ));
    let db = w.dir.path().join("spravka.db");
    let (status, out) = spravka(&db, &["verify", &code]);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("authentic") && out.contains("certificate 00001/2026: valid"),
        "{out}"
    );
    let tampered = code.replacen("|2027-", "|2099-", 1);
    let (status, out) = spravka(&db, &["verify", &tampered]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("FORGED"), "{out}");
    assert!(!out.to_lowercase().contains("valid"), "{out}");
}
