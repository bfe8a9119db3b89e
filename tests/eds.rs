//! The result of the service signed with EDS (R§13): a self-made CA and an NCA-style legacy
//! PKCS#12 (3DES key bag, RC2-40 certificate bag, SHA-1 MAC) made here with the openssl command;
//! the signed PDF checked by three independent checkers — poppler's `pdfsig` (trusted with the
//! test CA in an NSS database made with `certutil`), `openssl cms -verify` on the byte ranges,
//! and `spravka verify-signature` — and a WebSocket server in the test standing in for
//! NCALayer (NCALayer itself cannot run here), speaking its protocol and signing with the test
//! key. A test whose tool is missing says SKIPPED loudly and returns.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::thread;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{at, ok, world};
use spravka::domain::eds::{Chain, SignedKind, Verdict};
use spravka::eds::ncalayer::NcaLayer;
use spravka::eds::pkcs12::Pkcs12Signer;
use spravka::eds::{EdsError, Signer, pades};
use spravka::service::eds::{self, Method, Stored, Target};
use spravka::service::{ServiceError, Session};

const KEY_PASSWORD: &str = "Qwerty12";

fn tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("-v")
        .output()
        .or_else(|_| Command::new(name).arg("-h").output())
        .is_ok();
    if !found {
        eprintln!("SKIPPED: {name} missing (Debian: poppler-utils, libnss3-tools, openssl)");
    }
    found
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

fn must(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A test CA and a signer's certificate and NCA-style key file, made with openssl.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `None` (and SKIPPED) without openssl.
    fn make() -> Option<Self> {
        if !tool("openssl") {
            return None;
        }
        let pki = Self {
            dir: ok(tempfile::tempdir()),
        };
        let d = pki.dir.path();
        let ssl = || {
            let mut c = Command::new("openssl");
            c.current_dir(d);
            c
        };
        for (name, cn) in [("ca", "Тестовый УЦ spravka"), ("other-ca", "Чужой УЦ")]
        {
            must(ssl().args([
                "req",
                "-x509",
                "-utf8",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "3650",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.pem"),
                "-subj",
                &format!("/C=KZ/CN={cn}"),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]));
        }
        must(ssl().args([
            "req",
            "-new",
            "-utf8",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "user.key",
            "-out",
            "user.csr",
            "-subj",
            "/C=KZ/CN=СЕЙТКАЛИЕВ НУРЛАН/SN=СЕЙТКАЛИЕВ/serialNumber=IIN871008401427/GN=АСЕТОВИЧ",
        ]));
        ok(std::fs::write(
            d.join("user.ext"),
            "keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n",
        ));
        must(ssl().args([
            "x509",
            "-req",
            "-in",
            "user.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "365",
            "-sha256",
            "-extfile",
            "user.ext",
            "-out",
            "user.pem",
        ]));
        must(ssl().args([
            "pkcs12",
            "-export",
            "-legacy",
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-RC2-40",
            "-macalg",
            "sha1",
            "-inkey",
            "user.key",
            "-in",
            "user.pem",
            "-certfile",
            "ca.pem",
            "-name",
            "RSA256",
            "-out",
            "RSA256_test.p12",
            "-passout",
            &format!("pass:{KEY_PASSWORD}"),
        ]));
        Some(pki)
    }

    fn key_file(&self) -> Vec<u8> {
        ok(std::fs::read(self.path("RSA256_test.p12")))
    }

    fn signer(&self) -> Pkcs12Signer {
        ok(Pkcs12Signer::open(&self.key_file(), KEY_PASSWORD))
    }

    fn ca(&self) -> Vec<u8> {
        ok(std::fs::read(self.path("ca.pem")))
    }
}

/// The DER value at the start of a zero-padded /Contents.
fn der_value(bytes: &[u8]) -> &[u8] {
    let (header, len) = match bytes[1] {
        n if n < 0x80 => (2, usize::from(n)),
        n => {
            let count = usize::from(n & 0x7f);
            let len = bytes[2..2 + count]
                .iter()
                .fold(0usize, |acc, b| acc << 8 | usize::from(*b));
            (2 + count, len)
        }
    };
    &bytes[..header + len]
}

fn signatory(w: &mut common::World) -> Session {
    // The world's signatory (issue 12 gave every world one, with their QR signing key).
    w.signatory.clone()
}

/// A world with a certificate issued to Қасымқызы and signed by its signatory with `pki`'s
/// key file: the world, the certificate's number and what the signing made.
fn issued_and_signed(pki: &Pki) -> (common::World, String, eds::Signed) {
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let boss = signatory(&mut w);
    let signed = ok(sign_certificate(
        &mut w,
        &boss,
        &number,
        &mut pki.signer(),
        Method::Pkcs12,
    ));
    (w, number, signed)
}

fn sign_certificate(
    w: &mut common::World,
    who: &Session,
    number: &str,
    signer: &mut dyn Signer,
    method: Method,
) -> Result<eds::Signed, ServiceError> {
    sign_certificate_at(w, who, number, signer, method, "2026-11-25 12:00")
}

fn sign_certificate_at(
    w: &mut common::World,
    who: &Session,
    number: &str,
    signer: &mut dyn Signer,
    method: Method,
    now: &str,
) -> Result<eds::Signed, ServiceError> {
    eds::sign_documents(
        &mut w.store,
        who,
        at(now),
        &[Target::Certificate(number.into())],
        signer,
        method,
        |_, _| {},
    )
    .map(|mut v| v.remove(0))
}

#[test]
fn the_test_key_file_is_in_the_nca_legacy_format_and_loads() {
    let Some(pki) = Pki::make() else { return };
    // R§13: NCA key files are PKCS#12 with a 3DES key bag, RC2-40 certificates, SHA-1 MAC.
    let info = must(Command::new("openssl").args([
        "pkcs12",
        "-legacy",
        "-info",
        "-noout",
        "-in",
        &pki.path("RSA256_test.p12").to_string_lossy(),
        "-passin",
        &format!("pass:{KEY_PASSWORD}"),
    ]));
    let text =
        String::from_utf8_lossy(&info.stderr).to_string() + &String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("MAC: sha1"), "{text}");
    assert!(text.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{text}");
    assert!(text.contains("pbeWithSHA1And40BitRC2-CBC"), "{text}");
    let signer = pki.signer();
    let who = signer.signer();
    assert_eq!(who.name, "СЕЙТКАЛИЕВ НУРЛАН АСЕТОВИЧ");
    assert_eq!(who.iin.as_deref(), Some("871008401427"));
    assert_eq!(who.issuer, "Тестовый УЦ spravka");
    assert!(matches!(
        Pkcs12Signer::open(&pki.key_file(), "wrong"),
        Err(EdsError::WrongPassword)
    ));
    assert!(matches!(
        Pkcs12Signer::open(b"not a key file", KEY_PASSWORD),
        Err(EdsError::KeyFile(_))
    ));
}

#[test]
fn a_signed_certificate_passes_three_checkers_and_a_changed_byte_fails_all_three() {
    let Some(pki) = Pki::make() else { return };
    let mut w = world();
    let (application_id, number) = common::issued(&mut w, "Қасымқызы");
    let boss = signatory(&mut w);
    let mut key = pki.signer();
    let signed = ok(sign_certificate(
        &mut w,
        &boss,
        &number,
        &mut key,
        Method::Pkcs12,
    ));

    // Stored with the signer, the certificate's serial and validity, and the time (R§13).
    let row = &signed.row;
    assert_eq!(row.kind, SignedKind::Certificate);
    assert_eq!(row.number, number);
    assert_eq!(row.signer_name, "СЕЙТКАЛИЕВ НУРЛАН АСЕТОВИЧ");
    assert_eq!(row.signer_iin.as_deref(), Some("871008401427"));
    assert_eq!(row.cert_serial, key.signer().serial);
    assert!(row.cert_not_before < row.cert_not_after);
    assert_eq!(row.signed_at, at("2026-11-25 12:00"));
    assert_eq!(row.signed_by, "signatory");
    let listed = ok(eds::signed_documents(&w.store, &boss, application_id));
    assert_eq!(listed.len(), 1);
    let saved = ok(eds::signed_file(
        &mut w.store,
        &boss,
        at("2026-11-25 12:05"),
        application_id,
        &row.pdf_sha256,
    ));
    assert_eq!(saved, signed.pdf);
    let audited: i64 = ok(w.store.conn().query_row(
        "SELECT count(*) FROM audit WHERE action = 'sign_certificate'",
        [],
        |r| r.get(0),
    ));
    assert_eq!(audited, 1);

    let dir = ok(tempfile::tempdir());
    let pdf_path = dir.path().join("signed.pdf");
    ok(std::fs::write(&pdf_path, &signed.pdf));
    let mut changed = signed.pdf.clone();
    let at_producer = signed
        .pdf
        .windows(8)
        .position(|w| w == b"spravka)")
        .unwrap_or_else(|| panic!("no producer"));
    changed[at_producer] = b'S';
    let changed_path = dir.path().join("changed.pdf");
    ok(std::fs::write(&changed_path, &changed));

    // 1. spravka's own check.
    let check = ok(eds::verify_pdf(&w.store, &signed.pdf, &[pki.ca()]));
    assert_eq!(check.verdict(), Verdict::Valid);
    assert_eq!(check.signatures[0].findings.chain, Chain::Trusted);
    assert!(matches!(check.stored, Stored::Current { .. }));
    let check = ok(eds::verify_pdf(&w.store, &changed, &[pki.ca()]));
    assert_eq!(check.signatures[0].findings.digest_matches, Some(false));
    assert_eq!(check.verdict(), Verdict::Invalid);
    assert_eq!(check.stored, Stored::NotStored);
    // Untrusted: no root, or another CA's.
    let other = ok(std::fs::read(pki.path("other-ca.pem")));
    for roots in [vec![], vec![other]] {
        let check = ok(eds::verify_pdf(&w.store, &signed.pdf, &roots));
        assert_eq!(check.signatures[0].findings.chain, Chain::NotTrusted);
        assert_eq!(check.verdict(), Verdict::ValidNotTrusted);
    }

    // 2. openssl cms -verify on the byte ranges, and on the detached .cms of the whole file.
    let found = pades::signatures(&signed.pdf);
    assert_eq!(found.len(), 1);
    assert!(found[0].covers_whole_file);
    ok(std::fs::write(
        dir.path().join("sig.der"),
        der_value(&found[0].cms),
    ));
    ok(std::fs::write(
        dir.path().join("covered.bin"),
        found[0].covered(&signed.pdf),
    ));
    ok(std::fs::write(
        dir.path().join("covered-changed.bin"),
        found[0].covered(&changed),
    ));
    ok(std::fs::write(
        dir.path().join("signed.pdf.cms"),
        &signed.cms,
    ));
    let cms_verify = |content: &str, sig: &str| {
        run(Command::new("openssl").current_dir(dir.path()).args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            sig,
            "-content",
            content,
            "-CAfile",
            &pki.path("ca.pem").to_string_lossy(),
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ]))
    };
    let good = cms_verify("covered.bin", "sig.der");
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(String::from_utf8_lossy(&good.stderr).contains("Verification successful"));
    let whole = cms_verify("signed.pdf", "signed.pdf.cms");
    assert!(
        whole.status.success(),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let bad = cms_verify("covered-changed.bin", "sig.der");
    assert!(!bad.status.success());
    let text = String::from_utf8_lossy(&bad.stderr).to_lowercase();
    assert!(text.contains("content verify error"), "{text}");

    // 3. poppler's pdfsig, trusted once the test CA is in an NSS database.
    if !tool("pdfsig") || !tool("certutil") {
        return;
    }
    let nss = dir.path().join("nss");
    ok(std::fs::create_dir(&nss));
    let db = format!("sql:{}", nss.display());
    must(Command::new("certutil").args(["-N", "-d", &db, "--empty-password"]));
    let untrusted = run(Command::new("pdfsig").args(["-nssdir", &db]).arg(&pdf_path));
    let text = String::from_utf8_lossy(&untrusted.stdout);
    assert!(text.contains("Signature is Valid"), "{text}");
    assert!(!text.contains("Certificate is Trusted"), "{text}");
    must(Command::new("certutil").args([
        "-A",
        "-n",
        "spravka-test-ca",
        "-t",
        "CT,C,C",
        "-d",
        &db,
        "-i",
        &pki.path("ca.pem").to_string_lossy(),
    ]));
    let trusted = run(Command::new("pdfsig").args(["-nssdir", &db]).arg(&pdf_path));
    let text = String::from_utf8_lossy(&trusted.stdout);
    assert!(text.contains("Signature is Valid"), "{text}");
    assert!(text.contains("Certificate is Trusted"), "{text}");
    assert!(text.contains("Total document signed"), "{text}");
    let tampered = run(Command::new("pdfsig")
        .args(["-nssdir", &db])
        .arg(&changed_path));
    let text = String::from_utf8_lossy(&tampered.stdout);
    assert!(text.contains("Digest Mismatch"), "{text}");
}

#[test]
fn only_the_signatory_signs_and_signing_again_keeps_the_history() {
    let Some(pki) = Pki::make() else { return };
    let mut w = world();
    let (application_id, number) = common::issued(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    // R§13: the authorised person signs, not the officer who issued it.
    let refused = sign_certificate(&mut w, &officer, &number, &mut pki.signer(), Method::Pkcs12);
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    let boss = signatory(&mut w);
    let first = ok(sign_certificate(
        &mut w,
        &boss,
        &number,
        &mut pki.signer(),
        Method::Pkcs12,
    ));
    let second = ok(sign_certificate_at(
        &mut w,
        &boss,
        &number,
        &mut pki.signer(),
        Method::Pkcs12,
        "2026-11-26 09:30",
    ));
    assert_ne!(first.row.pdf_sha256, second.row.pdf_sha256);
    let history = ok(eds::signed_documents(&w.store, &boss, application_id));
    assert_eq!(history.len(), 2);
    let check = ok(eds::verify_pdf(&w.store, &first.pdf, &[pki.ca()]));
    assert!(
        matches!(check.stored, Stored::Older { .. }),
        "{:?}",
        check.stored
    );
    let check = ok(eds::verify_pdf(&w.store, &second.pdf, &[pki.ca()]));
    assert!(matches!(check.stored, Stored::Current { .. }));
}

// ---------------------------------------------------------------------------------------------
// NCALayer stand-in

#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    Sign,
    Cancel,
    Error,
}

/// A protocol stand-in for NCALayer (which cannot run here): TLS on 127.0.0.1 with a
/// self-signed certificate, the version greeting, then `kz.gov.pki.knca.basics` `sign` answered
/// as told — signed with the test key, cancelled by the user, or refused. Serves `connections`
/// connections and returns the requests it got.
fn stand_in(
    pki: &Pki,
    answer: Answer,
    connections: usize,
) -> (String, thread::JoinHandle<Vec<serde_json::Value>>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    must(Command::new("openssl").current_dir(pki.dir.path()).args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "30",
        "-keyout",
        "tls.key",
        "-out",
        "tls.pem",
        "-subj",
        "/CN=127.0.0.1",
    ]));
    let cert = ok(CertificateDer::from_pem_file(pki.path("tls.pem")));
    let key = ok(PrivateKeyDer::from_pem_file(pki.path("tls.key")));
    let config = ok(ok(rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions())
    .with_no_client_auth()
    .with_single_cert(vec![cert], key));
    let config = Arc::new(config);
    let listener = ok(TcpListener::bind("127.0.0.1:0"));
    let url = format!("wss://127.0.0.1:{}", ok(listener.local_addr()).port());
    let mut signer = pki.signer();
    let handle = thread::spawn(move || {
        let mut requests = Vec::new();
        for _ in 0..connections {
            let (tcp, _) = ok(listener.accept());
            let tls = ok(rustls::ServerConnection::new(config.clone()));
            let stream = rustls::StreamOwned::new(tls, tcp);
            let mut socket = ok(tungstenite::accept(stream));
            ok(socket.send(tungstenite::Message::text(
                r#"{"result":{"version":"1.4"}}"#,
            )));
            let request = loop {
                if let tungstenite::Message::Text(t) = ok(socket.read()) {
                    break ok(serde_json::from_str::<serde_json::Value>(&t));
                }
            };
            let reply = match answer {
                Answer::Sign => {
                    let data = &request["args"]["data"];
                    let items: Vec<Vec<u8>> = match data {
                        serde_json::Value::Array(a) => a
                            .iter()
                            .map(|v| ok(STANDARD.decode(v.as_str().unwrap_or_default())))
                            .collect(),
                        v => vec![ok(STANDARD.decode(v.as_str().unwrap_or_default()))],
                    };
                    let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
                    let cms = ok(signer.sign(&refs));
                    let result: Vec<String> = cms.iter().map(|c| STANDARD.encode(c)).collect();
                    serde_json::json!({"status": true, "body": {"result": result}})
                }
                // NCALayer answers a closed window with status true and no result.
                Answer::Cancel => serde_json::json!({"status": true, "body": {}}),
                Answer::Error => serde_json::json!({
                    "status": false, "code": "500", "message": "Хранилище ключей недоступно"
                }),
            };
            ok(socket.send(tungstenite::Message::text(reply.to_string())));
            let _ = socket.close(None);
            // Let the client read the close.
            let _ = socket.read();
            requests.push(request);
        }
        requests
    });
    (url, handle)
}

#[test]
fn ncalayer_stand_in_signs_cancels_and_refuses() {
    let Some(pki) = Pki::make() else { return };
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let boss = signatory(&mut w);

    // Success: one request for the PDF, one for the detached CMS of the signed PDF.
    let (url, server) = stand_in(&pki, Answer::Sign, 2);
    let mut client = ok(NcaLayer::new(&url, "kk"));
    let signed = ok(sign_certificate(
        &mut w,
        &boss,
        &number,
        &mut client,
        Method::NcaLayer,
    ));
    let requests = server.join().unwrap_or_default();
    assert_eq!(requests.len(), 2);
    let args = &requests[0]["args"];
    assert_eq!(requests[0]["module"], "kz.gov.pki.knca.basics");
    assert_eq!(requests[0]["method"], "sign");
    assert_eq!(args["format"], "cms");
    assert_eq!(args["signingParams"]["decode"], true);
    assert_eq!(args["signingParams"]["encapsulate"], false);
    assert_eq!(args["signingParams"]["digested"], false);
    assert_eq!(args["locale"], "kk");
    assert_eq!(signed.row.method, "ncalayer");
    assert_eq!(signed.row.signer_iin.as_deref(), Some("871008401427"));
    let check = ok(eds::verify_pdf(&w.store, &signed.pdf, &[pki.ca()]));
    assert_eq!(check.verdict(), Verdict::Valid);

    // The user closes NCALayer's window: nothing is signed or stored.
    let before: i64 =
        ok(w.store
            .conn()
            .query_row("SELECT count(*) FROM signed_documents", [], |r| r.get(0)));
    let (url, server) = stand_in(&pki, Answer::Cancel, 1);
    let mut client = ok(NcaLayer::new(&url, "ru"));
    let cancelled = sign_certificate(&mut w, &boss, &number, &mut client, Method::NcaLayer);
    assert!(
        matches!(cancelled, Err(ServiceError::Eds(EdsError::Cancelled))),
        "{cancelled:?}"
    );
    let _ = server.join();
    // NCALayer refuses with its code and message.
    let (url, server) = stand_in(&pki, Answer::Error, 1);
    let mut client = ok(NcaLayer::new(&url, "ru"));
    let refused = sign_certificate(&mut w, &boss, &number, &mut client, Method::NcaLayer);
    assert!(
        matches!(&refused, Err(ServiceError::Eds(EdsError::NcaLayerRefused { code, message }))
            if code == "500" && message.contains("Хранилище")),
        "{refused:?}"
    );
    let _ = server.join();
    let after: i64 =
        ok(w.store
            .conn()
            .query_row("SELECT count(*) FROM signed_documents", [], |r| r.get(0)));
    assert_eq!(before, after);

    // Not running: nothing listens on the port.
    let port = ok(ok(TcpListener::bind("127.0.0.1:0")).local_addr()).port();
    let mut client = ok(NcaLayer::new(&format!("wss://127.0.0.1:{port}"), "ru"));
    let unreachable = client.sign(&[b"x"]);
    assert!(
        matches!(unreachable, Err(EdsError::NcaLayerUnreachable { .. })),
        "{unreachable:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The command line

fn spravka(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spravka"));
    c.arg("--db").arg(db);
    c
}

#[test]
fn the_command_line_signs_a_certificate_and_checks_it() {
    let Some(pki) = Pki::make() else { return };
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let _ = signatory(&mut w);
    let db = w.dir.path().join("spravka.db");
    drop(w.store);
    let out = w.dir.path().join("cert.pdf");
    let signed = run(spravka(&db)
        .args([
            "--user",
            "signatory",
            "print",
            "certificate",
            &number,
            "--out",
        ])
        .arg(&out)
        .arg("--sign")
        .arg(format!("pkcs12:{}", pki.path("RSA256_test.p12").display()))
        .env("SPRAVKA_PASSWORD", "password-123")
        .env("SPRAVKA_KEY_PASSWORD", KEY_PASSWORD));
    let text = String::from_utf8_lossy(&signed.stdout);
    assert!(
        signed.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    assert!(
        text.contains("signed by СЕЙТКАЛИЕВ НУРЛАН АСЕТОВИЧ, IIN 871008401427"),
        "{text}"
    );
    let cms_path = w.dir.path().join("cert.pdf.cms");
    assert!(cms_path.exists());

    let check = run(spravka(&db)
        .arg("verify-signature")
        .arg(&out)
        .arg("--trust")
        .arg(pki.path("ca.pem")));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(text.contains("verdict: VALID"), "{text}");
    assert!(text.contains("as stored in this database"), "{text}");

    let untrusted = run(spravka(&db).arg("verify-signature").arg(&out));
    let text = String::from_utf8_lossy(&untrusted.stdout);
    assert!(!untrusted.status.success());
    assert!(text.contains("NOT TRUSTED"), "{text}");

    let mut bytes = ok(std::fs::read(&out));
    let at_producer = bytes
        .windows(8)
        .position(|w| w == b"spravka)")
        .unwrap_or_else(|| panic!("no producer"));
    bytes[at_producer] = b'S';
    let changed = w.dir.path().join("changed.pdf");
    ok(std::fs::write(&changed, &bytes));
    let tampered = run(spravka(&db)
        .arg("verify-signature")
        .arg(&changed)
        .arg("--trust")
        .arg(pki.path("ca.pem")));
    let text = String::from_utf8_lossy(&tampered.stdout);
    assert!(!tampered.status.success());
    assert!(text.contains("digest: MISMATCH"), "{text}");
    assert!(text.contains("verdict: INVALID"), "{text}");

    // The officer may print but not sign.
    let officer = run(spravka(&db)
        .args([
            "--user",
            "officer",
            "print",
            "certificate",
            &number,
            "--out",
        ])
        .arg(w.dir.path().join("officer.pdf"))
        .arg("--sign")
        .arg(format!("pkcs12:{}", pki.path("RSA256_test.p12").display()))
        .env("SPRAVKA_PASSWORD", "password-123")
        .env("SPRAVKA_KEY_PASSWORD", KEY_PASSWORD));
    assert!(!officer.status.success());
}

// ---------------------------------------------------------------------------------------------
// The window

/// Runs frames until the signing thread has reported (at most 60 s).
fn wait_for_signing(h: &mut egui_kittest::Harness<'static, spravka::ui::App>) {
    for _ in 0..600 {
        h.run();
        if h.state().signing_progress.is_none() {
            return;
        }
        thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the signing did not finish");
}

#[test]
fn the_signatory_signs_from_the_application_view_with_a_key_file() {
    use egui_kittest::kittest::Queryable;
    let Some(pki) = Pki::make() else { return };
    let mut w = world();
    let (application_id, number) = common::issued(&mut w, "Қасымқызы");
    let _ = signatory(&mut w);
    let mut h = common::window(&w, "2026-11-25 12:00");
    let key = pki.path("RSA256_test.p12");
    h.state_mut()
        .set_key_file_picker(Box::new(move || Some(key.clone())));
    common::sign_in(&mut h, "signatory");
    h.state_mut().open(application_id);
    h.run();
    h.get_by_label(&format!("Подписать ЭЦП: справка № {number}…"))
        .click();
    h.run();
    h.get_by_label("Файлом ключа PKCS#12 (RSA)").click();
    h.run();
    h.get_by_label("Выбрать файл ключа…").click();
    h.run();
    // A wrong password: said in the dialog, which keeps the chosen file.
    common::type_into(&mut h, "Пароль ключа", "wrong");
    h.get_by_label("Подписать").click();
    h.run();
    wait_for_signing(&mut h);
    let form = &h.state().sign_form;
    assert!(form.open);
    assert_eq!(
        form.error.as_deref(),
        Some("Неверный пароль к файлу ключа.")
    );
    assert!(form.key_path.is_some());
    assert!(h.state().view.as_ref().is_some_and(|v| v.signed.is_empty()));

    h.state_mut().sign_form.password.clear();
    common::type_into(&mut h, "Пароль ключа", KEY_PASSWORD);
    h.get_by_label("Подписать").click();
    h.run();
    wait_for_signing(&mut h);
    h.run();
    assert!(!h.state().sign_form.open);
    let view = h.state().view.as_ref().unwrap_or_else(|| panic!("no view"));
    assert_eq!(view.signed.len(), 1);
    assert_eq!(view.signed[0].signer_name, "СЕЙТКАЛИЕВ НУРЛАН АСЕТОВИЧ");
    let line = format!(
        "Справка № {number}: подписано ЭЦП — СЕЙТКАЛИЕВ НУРЛАН АСЕТОВИЧ, ИИН 871008401427, 25.11.2026 12:00"
    );
    assert!(h.query_by_label(&line).is_some(), "{line}");

    // The officer sees who signed, but has no signing button.
    let mut h = common::window(&w, "2026-11-25 12:30");
    common::sign_in(&mut h, "officer");
    h.state_mut().open(application_id);
    h.run();
    assert!(h.query_by_label(&line).is_some());
    assert!(
        h.query_by_label(&format!("Подписать ЭЦП: справка № {number}…"))
            .is_none()
    );
}

/// An application refused on 25 November 2026 (A2.9 sub-paragraph 2, below the threshold).
fn refused(w: &mut common::World) -> (i64, String) {
    use spravka::domain::RefusalGround;
    use spravka::domain::scoring::ScoreInput;
    use spravka::service::certificates::{self, Decision};
    use spravka::service::commission::{self, Recommendation};
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = common::register(w, "Нұрланұлы", "2026-11-23 10:00");
    ok(spravka::service::applications::forward_to_commission(
        &mut w.store,
        &officer,
        at("2026-11-23 12:00"),
        reg.id,
    ));
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        common::date("2026-11-24"),
        "каб. 305",
        &[reg.id],
    ));
    ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        meeting,
        reg.id,
        None,
        &ScoreInput {
            higher_education: true,
            ..ScoreInput::default()
        },
    ));
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:30"),
        Some(meeting),
        reg.id,
        &Recommendation::Refuse {
            ground: RefusalGround::BelowThreshold,
            motivation: "Набрано 3 балла".into(),
        },
    ));
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 10:00"),
        reg.id,
        &Decision::Refuse {
            ground: RefusalGround::BelowThreshold,
            motivation: "Набрано 3 балла из 6 необходимых".into(),
            against_recommendation: false,
        },
    ));
    (reg.id, reg.number)
}

#[test]
fn the_refusal_is_signed_from_the_command_line_and_with_certificates_in_one_batch() {
    let Some(pki) = Pki::make() else { return };
    let mut w = world();
    let (refused_id, refused_number) = refused(&mut w);
    let (issued_id, number) = common::issued(&mut w, "Қасымқызы");
    let boss = signatory(&mut w);
    // The registry's choice: both applications, one key-file session, progress reported.
    let targets = ok(eds::targets_of(&w.store, &boss, &[refused_id, issued_id]));
    assert_eq!(
        targets,
        vec![
            (Target::Refusal(refused_id), refused_number.clone()),
            (Target::Certificate(number.clone()), number.clone()),
        ]
    );
    let mut steps = Vec::new();
    let signed = ok(eds::sign_documents(
        &mut w.store,
        &boss,
        at("2026-11-25 12:00"),
        &targets.into_iter().map(|(t, _)| t).collect::<Vec<_>>(),
        &mut pki.signer(),
        Method::Pkcs12,
        |done, total| steps.push((done, total)),
    ));
    assert_eq!(signed.len(), 2);
    assert_eq!(steps.last(), Some(&(4, 4)));
    assert_eq!(signed[0].row.kind, SignedKind::Refusal);
    assert_eq!(signed[0].row.number, refused_number);
    for s in &signed {
        let check = ok(eds::verify_pdf(&w.store, &s.pdf, &[pki.ca()]));
        assert_eq!(check.verdict(), Verdict::Valid);
    }
    let audited: i64 = ok(w.store.conn().query_row(
        "SELECT count(*) FROM audit WHERE action = 'sign_refusal'",
        [],
        |r| r.get(0),
    ));
    assert_eq!(audited, 1);

    // `print refusal ID --sign pkcs12:PATH` writes the signed PDF and its .cms.
    let db = w.dir.path().join("spravka.db");
    drop(w.store);
    let out = w.dir.path().join("refusal.pdf");
    let run_cli = run(spravka(&db)
        .args([
            "--user",
            "signatory",
            "print",
            "refusal",
            &refused_number,
            "--out",
        ])
        .arg(&out)
        .arg("--sign")
        .arg(format!("pkcs12:{}", pki.path("RSA256_test.p12").display()))
        .env("SPRAVKA_PASSWORD", "password-123")
        .env("SPRAVKA_KEY_PASSWORD", KEY_PASSWORD));
    assert!(
        run_cli.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run_cli.stdout),
        String::from_utf8_lossy(&run_cli.stderr)
    );
    assert!(w.dir.path().join("refusal.pdf.cms").exists());
    let check = run(spravka(&db)
        .arg("verify-signature")
        .arg(&out)
        .arg("--trust")
        .arg(pki.path("ca.pem")));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{text}");
    // (The record may call it an earlier signing: the service above signed at a fixed later
    // time than the command's real clock.)
    assert!(
        text.contains(&format!("refusal {refused_number}")),
        "{text}"
    );
}

#[test]
fn the_verification_screen_checks_a_chosen_signed_pdf() {
    use egui_kittest::kittest::Queryable;
    let Some(pki) = Pki::make() else { return };
    let (w, _, signed) = issued_and_signed(&pki);
    let path = w.dir.path().join("signed.pdf");
    ok(std::fs::write(&path, &signed.pdf));
    let mut changed = signed.pdf.clone();
    let at_producer = changed
        .windows(8)
        .position(|w| w == b"spravka)")
        .unwrap_or_else(|| panic!("no producer"));
    changed[at_producer] = b'S';
    let changed_path = w.dir.path().join("changed.pdf");
    ok(std::fs::write(&changed_path, &changed));

    let mut h = common::window(&w, "2026-11-25 12:30");
    let picked = path.clone();
    h.state_mut()
        .set_file_picker(Box::new(move || Some(picked.clone())));
    common::sign_in(&mut h, "officer");
    h.get_by_label("Проверка справки").click();
    h.run();
    h.get_by_label("Проверить подписанный PDF…").click();
    h.run();
    // No root is trusted in this database: intact, but not trusted — never "valid".
    assert!(
        h.query_by_label_contains("сертификат подписанта НЕ доверенный")
            .is_some()
    );
    assert!(
        h.query_by_label("Хеш совпадает: документ не изменён")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("это подписанный документ «Справка № 00001/2026»")
            .is_some()
    );

    h.state_mut()
        .set_file_picker(Box::new(move || Some(changed_path.clone())));
    h.get_by_label("Проверить подписанный PDF…").click();
    h.run();
    assert!(
        h.query_by_label_contains("Подпись НЕДЕЙСТВИТЕЛЬНА")
            .is_some()
    );
    assert!(
        h.query_by_label("Хеш НЕ совпадает: документ изменён после подписания")
            .is_some()
    );
    assert!(
        h.query_by_label("В базе такого подписанного файла нет")
            .is_some()
    );
}

#[test]
fn a_root_the_administrator_adds_is_trusted_for_everyone() {
    let Some(pki) = Pki::make() else { return };
    let (mut w, _, signed) = issued_and_signed(&pki);
    let before = ok(eds::verify_pdf(&w.store, &signed.pdf, &[]));
    assert_eq!(before.verdict(), Verdict::ValidNotTrusted);
    // Only the administrator adds roots.
    let officer = w.officer.clone();
    assert!(matches!(
        eds::add_trusted_roots(&mut w.store, &officer, at("2026-11-25 13:00"), &pki.ca()),
        Err(ServiceError::Forbidden(_))
    ));
    let admin = w.admin.clone();
    let added = ok(eds::add_trusted_roots(
        &mut w.store,
        &admin,
        at("2026-11-25 13:00"),
        &pki.ca(),
    ));
    assert_eq!(added, 1);
    let again = ok(eds::add_trusted_roots(
        &mut w.store,
        &admin,
        at("2026-11-25 13:01"),
        &pki.ca(),
    ));
    assert_eq!(again, 0);
    let after = ok(eds::verify_pdf(&w.store, &signed.pdf, &[]));
    assert_eq!(after.verdict(), Verdict::Valid);
}

#[test]
fn the_administrator_adds_an_nca_root_in_the_window() {
    use egui_kittest::kittest::Queryable;
    let Some(pki) = Pki::make() else { return };
    let w = world();
    let mut h = common::window(&w, "2026-11-25 12:00");
    let ca = pki.path("ca.pem");
    h.state_mut()
        .set_cert_file_picker(Box::new(move || Some(ca.clone())));
    common::type_into(&mut h, "Имя пользователя", "admin");
    common::type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("Не добавлены: подписи проверяются")
            .is_some()
    );
    h.get_by_label("Добавить корневой сертификат…").click();
    h.run();
    let screen = h
        .state()
        .admin
        .clone()
        .unwrap_or_else(|| panic!("no admin screen"));
    // The message goes to the status bar (issue 14).
    let status = h.state().status.clone();
    assert_eq!(
        status.map(|s| (s.error, s.text)),
        Some((false, "Добавлено корневых сертификатов: 1".to_string()))
    );
    assert_eq!(screen.trusted_roots.len(), 1);
    assert!(
        screen.trusted_roots[0].0.contains("Тестовый УЦ spravka"),
        "{:?}",
        screen.trusted_roots
    );
}

#[test]
fn the_signatory_signs_several_from_the_registry_in_one_session() {
    use egui_kittest::kittest::Queryable;
    let Some(pki) = Pki::make() else { return };
    let mut w = world();
    let (refused_id, _) = refused(&mut w);
    let (issued_id, _) = common::issued(&mut w, "Қасымқызы");
    let _ = signatory(&mut w);
    let mut h = common::window(&w, "2026-11-25 12:00");
    let key = pki.path("RSA256_test.p12");
    h.state_mut()
        .set_key_file_picker(Box::new(move || Some(key.clone())));
    common::sign_in(&mut h, "signatory");
    // Ctrl+click in the table chooses; the choice is the registry's set.
    h.state_mut().registry.chosen.insert(refused_id);
    h.state_mut().registry.chosen.insert(issued_id);
    h.run();
    h.get_by_label("Подписать ЭЦП выбранные…").click();
    h.run();
    assert!(h.query_by_label("Документов к подписанию: 2").is_some());
    h.get_by_label("Файлом ключа PKCS#12 (RSA)").click();
    h.run();
    h.get_by_label("Выбрать файл ключа…").click();
    h.run();
    common::type_into(&mut h, "Пароль ключа", KEY_PASSWORD);
    h.get_by_label("Подписать").click();
    h.run();
    assert!(
        h.state().signing_progress.is_some(),
        "a progress bar while signing"
    );
    wait_for_signing(&mut h);
    assert!(!h.state().sign_form.open, "{:?}", h.state().sign_form.error);
    assert!(h.state().registry.chosen.is_empty());
    let signed: i64 =
        ok(w.store
            .conn()
            .query_row("SELECT count(*) FROM signed_documents", [], |r| r.get(0)));
    assert_eq!(signed, 2);
}

#[test]
fn after_the_signatory_decides_the_signing_dialog_opens_for_the_result() {
    use egui_kittest::kittest::Queryable;
    let mut w = world();
    let reg = common::recommended(&mut w, "Қасымқызы", &common::passing_score());
    let _ = signatory(&mut w);
    let mut h = common::window(&w, "2026-11-25 10:00");
    common::sign_in(&mut h, "signatory");
    h.state_mut().open(reg.id);
    h.run();
    h.get_by_label("Записать решение о выдаче").click();
    h.run();
    // A decisive action is confirmed first (issue 14).
    h.get_by_label("Да, записать").click();
    h.run();
    h.run();
    let form = &h.state().sign_form;
    assert!(form.open, "the signing dialog opens after the decision");
    assert_eq!(form.targets, vec![Target::Certificate("00001/2026".into())]);
    assert!(h.query_by_label("Документов к подписанию: 1").is_some());
    // Cancelling leaves the certificate issued and unsigned.
    h.get_by_label("Отмена").click();
    h.run();
    assert!(!h.state().sign_form.open);
    assert!(h.query_by_label("Результат ещё не подписан ЭЦП").is_some());
}

#[test]
fn a_signature_this_build_cannot_check_is_never_reported_valid() {
    let Some(pki) = Pki::make() else { return };
    let (w, _, signed) = issued_and_signed(&pki);
    // The embedded CMS names SHA-256 as its digest; put an OID of the GOST arc
    // (1.2.643.7.1.1.2.2.1, same length) in its place, as a GOST signature from NCALayer would
    // name GOST 34.11. The covered bytes do not change: only /Contents does.
    let sha256 = b"0609608648016503040201";
    let mut gost = signed.pdf.clone();
    let mut replaced = 0;
    let mut i = 0;
    while i + sha256.len() <= gost.len() {
        if &gost[i..i + sha256.len()] == sha256 {
            gost[i..i + sha256.len()].copy_from_slice(b"06092A8503070101020201");
            replaced += 1;
        }
        i += 1;
    }
    assert!(replaced >= 2, "{replaced}");
    let check = ok(eds::verify_pdf(&w.store, &gost, &[pki.ca()]));
    assert_eq!(check.signatures[0].findings.digest_matches, None);
    assert_eq!(check.verdict(), Verdict::CannotCheck);
    let path = w.dir.path().join("gost.pdf");
    ok(std::fs::write(&path, &gost));
    let db = w.dir.path().join("spravka.db");
    drop(w.store);
    let out = run(spravka(&db)
        .arg("verify-signature")
        .arg(&path)
        .arg("--trust")
        .arg(pki.path("ca.pem")));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("digest: cannot check in this build"),
        "{text}"
    );
    assert!(text.contains("CANNOT CHECK in this build"), "{text}");
    assert!(!text.contains("verdict: VALID"), "{text}");
}
