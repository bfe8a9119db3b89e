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
    // Issue 12: the key is named by its fingerprint and whose it is.
    let signatory = w.signatory.clone();
    let key = signatory
        .signing_key
        .clone()
        .unwrap_or_else(|| panic!("the signatory's key opens at sign-in"));
    assert_eq!(v.key.as_deref(), Some(key.fingerprint.as_str()));
    assert_eq!(v.key_holder.as_deref(), Some("Сейткалиев Нурлан Асетович"));

    // A copy of the file gives no key: the private half is stored only sealed, and its bytes
    // are nowhere in the database or its log.
    let secret = key.key.to_bytes();
    for name in ["spravka.db", "spravka.db-wal"] {
        let bytes = std::fs::read(w.dir.path().join(name)).unwrap_or_default();
        assert!(
            !bytes.windows(32).any(|window| window == secret),
            "{name} holds the signatory's secret"
        );
    }
    // A key of one's own signs a code that looks right: forged.
    let own = SigningKey::from_bytes(&[9; 32]);
    let parts: Vec<&str> = code.split('|').collect();
    let signed = parts[..parts.len() - 1].join("|");
    let signature = URL_SAFE_NO_PAD.encode(own.sign(signed.as_bytes()).to_bytes());
    let v = ok(printing::verify(&w.store, &format!("{signed}|{signature}")));
    assert_eq!(v.authentic, Some(false));
    assert_eq!(v.key, None);

    // A code that the signatory's real key signed with other initials and valid-to 2099 (a
    // signatory's error, or a stolen open session): the signature holds, and verify names both
    // fields where it disagrees with the register.
    let forged = format!(
        "S2|{}|{}|Х.Х.|{}|{}|2099-12-31",
        parts[1], parts[2], parts[4], parts[5]
    );
    let signature = URL_SAFE_NO_PAD.encode(key.key.sign(forged.as_bytes()).to_bytes());
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
