//! Issue 12, item 1: each signatory's own QR signing key, stored only sealed under their
//! password, opened at their sign-in; a copy of the file signs nothing the register accepts.

mod common;

use common::{at, ok, world};
use spravka::service::printing;
use spravka::service::{RuleError, ServiceError, setup};

#[test]
fn the_signatory_signs_first_and_then_anyone_prints_the_same_code() {
    let mut w = world();
    let (_, number) = common::issued_unsigned(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    let now = at("2026-11-25 11:00");
    // The officer has no key: the first print is refused, in words, and nothing is recorded.
    let refused =
        printing::print_certificate(&mut w.store, &officer, now, &number, false, false, None);
    assert!(
        matches!(refused, Err(ServiceError::Rule(RuleError::NoSigningKey { ref number })) if number == "00001/2026"),
        "{refused:?}"
    );
    let copies: i64 =
        ok(w.store
            .conn()
            .query_row("SELECT count(*) FROM printed_copies", [], |r| r.get(0)));
    assert_eq!(copies, 0);
    // A preview needs no key (it is a sample).
    ok(printing::print_certificate(
        &mut w.store,
        &officer,
        now,
        &number,
        false,
        true,
        None,
    ));
    // The signatory prints: the code is signed with their key and kept.
    let signatory = w.signatory.clone();
    ok(printing::print_certificate(
        &mut w.store,
        &signatory,
        now,
        &number,
        false,
        false,
        None,
    ));
    let signed = ok(printing::qr_payload(&mut w.store, &signatory, now, &number));
    // From then on the officer prints it, with the very same code.
    ok(printing::print_certificate(
        &mut w.store,
        &officer,
        now,
        &number,
        false,
        false,
        None,
    ));
    assert_eq!(
        ok(printing::qr_payload(&mut w.store, &officer, now, &number)),
        signed
    );
    assert_eq!(
        ok(printing::verify(&w.store, &signed)).authentic,
        Some(true)
    );
}

#[test]
fn a_password_change_keeps_the_key_and_a_reset_retires_it() {
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Ұлықбекова");
    let signatory = w.signatory.clone();
    let first = signatory
        .signing_key
        .clone()
        .unwrap_or_else(|| panic!("a key"));
    let now = at("2026-11-26 09:00");
    let code = ok(printing::qr_payload(&mut w.store, &signatory, now, &number));

    // The signatory's own new password: the same key, sealed anew, opens with it only.
    ok(setup::change_own_password(
        &mut w.store,
        &signatory,
        "password-123",
        "новый-пароль-456",
        now,
    ));
    let again = ok(setup::sign_in(
        &mut w.store,
        "signatory",
        "новый-пароль-456",
        now,
    ));
    assert_eq!(
        again.signing_key.as_ref().map(|k| k.fingerprint.clone()),
        Some(first.fingerprint.clone())
    );

    // The administrator resets it: the old key cannot be opened any more and is retired; the
    // next sign-in makes a new one. What the old key signed still verifies, naming it.
    let admin = w.admin.clone();
    ok(setup::reset_password(
        &mut w.store,
        &admin,
        signatory.user_id,
        "временный-789",
        now,
    ));
    let after = ok(setup::sign_in(
        &mut w.store,
        "signatory",
        "временный-789",
        now,
    ));
    let second = after
        .signing_key
        .clone()
        .unwrap_or_else(|| panic!("a new key"));
    assert_ne!(second.fingerprint, first.fingerprint);
    let v = ok(printing::verify(&w.store, &code));
    assert_eq!(v.authentic, Some(true));
    assert_eq!(v.key, Some(first.fingerprint.clone()));
    // Both keys are listed for publication, the old one as retired.
    let keys = ok(printing::public_keys(&w.store));
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].fingerprint, second.fingerprint);
    assert_eq!(keys[0].retired, None);
    assert_eq!(keys[1].fingerprint, first.fingerprint);
    assert_eq!(
        keys[1].retired.as_ref().map(|(_, why)| why.as_str()),
        Some("пароль сброшен администратором")
    );
    assert_eq!(
        keys[1].holder.as_deref(),
        Some("Сейткалиев Нурлан Асетович")
    );
}

#[test]
fn a_copy_of_the_file_signs_nothing_the_register_accepts() {
    // Whoever copies the file is administrator of the copy: they reset the signatory's
    // password there and sign in. The copy makes a new key, whose codes the real register
    // calls forged.
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Ұлықбекова");
    let copy_dir = ok(tempfile::tempdir());
    let copy = copy_dir.path().join("copy.db");
    ok(w.store
        .conn()
        .execute("VACUUM INTO ?1", [copy.to_string_lossy()]));
    let mut stolen = ok(spravka::store::Store::open(&copy));
    let admin = ok(setup::sign_in(
        &mut stolen,
        "admin",
        "admin-password",
        at("2026-11-26 09:00"),
    ));
    let signatory_id = w.signatory.user_id;
    ok(setup::reset_password(
        &mut stolen,
        &admin,
        signatory_id,
        "взлом-пароль-1",
        at("2026-11-26 09:01"),
    ));
    let thief = ok(setup::sign_in(
        &mut stolen,
        "signatory",
        "взлом-пароль-1",
        at("2026-11-26 09:02"),
    ));
    // The stored code of the real certificate cannot be reused for other fields; a new one
    // needs the key, and the copy's key is not the register's.
    ok(stolen.conn().execute(
        "UPDATE certificates SET valid_to = '2099-12-31', qr_code = NULL WHERE number = ?1",
        [&number],
    ));
    let forged = ok(printing::qr_payload(
        &mut stolen,
        &thief,
        at("2026-11-26 09:03"),
        &number,
    ));
    assert!(forged.contains("2099-12-31"));
    assert_eq!(
        ok(printing::verify(&stolen, &forged)).authentic,
        Some(true),
        "the copy believes itself"
    );
    let v = ok(printing::verify(&w.store, &forged));
    assert_eq!(v.authentic, Some(false));
    assert_eq!(v.key, None);
}

#[test]
fn the_officer_s_batch_skips_and_names_a_certificate_no_signatory_has_signed() {
    let mut w = world();
    let (signed_application, _) = common::issued(&mut w, "Ұлықбекова");
    let (_, number) = common::issued_unsigned(&mut w, "Қасымқызы");
    let unsigned_application: i64 = ok(w.store.conn().query_row(
        "SELECT application_id FROM certificates WHERE number = ?1",
        [&number],
        |r| r.get(0),
    ));
    let officer = w.officer.clone();
    let (_, count, skipped) = ok(printing::print_certificates_of(
        &mut w.store,
        &officer,
        at("2026-11-26 10:00"),
        &[signed_application, unsigned_application],
        |_, _| {},
    ));
    assert_eq!(count, 1);
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].unsigned);
    // The signatory's batch signs it.
    let signatory = w.signatory.clone();
    let (_, count, skipped) = ok(printing::print_certificates_of(
        &mut w.store,
        &signatory,
        at("2026-11-26 10:05"),
        &[signed_application, unsigned_application],
        |_, _| {},
    ));
    assert_eq!((count, skipped.len()), (2, 0));
}
