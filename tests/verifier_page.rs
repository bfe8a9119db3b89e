//! The verification page the body publishes (issue 19), opened in a real browser: headless
//! Chromium (Debian package `chromium`) loads the published folder from a small web server in
//! the test, with a certificate's QR link, and the test reads the page's verdict from the DOM.
//! The page checks the signatures spravka made (Rust, ed25519-dalek) with WebCrypto or the
//! shipped noble-ed25519: a genuine code reads valid, one changed character forged, a revoked
//! and a reissued certificate say so, and a list changed after signing is refused.
//!
//! The phone's date is the test's: the test server adds a script to `index.html` (never to the
//! published file) that fixes `Date`. Without Chromium the tests print SKIPPED and return;
//! `.ci/run` installs it.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{applicant, at, date, issue_application, ok, world};
use spravka::domain::ApplicationKind;
use spravka::domain::documents::{ReissueReason, required_documents};
use spravka::service::applications;
use spravka::service::certificates::{self, ControlAct, Decision};
use spravka::service::{printing, setup, verifier};

/// The browser, or `None` (and SKIPPED on stderr).
fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var("SPRAVKA_CHROMIUM").map_or_else(
        |_| vec!["chromium".into(), "chromium-browser".into()],
        |p| vec![p],
    );
    for name in candidates {
        let found = Command::new(&name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return Some(PathBuf::from(name));
        }
    }
    eprintln!(
        "SKIPPED: chromium missing (Debian: apt-get install chromium): the verification page is not checked in a browser"
    );
    None
}

/// Serves `dir` on 127.0.0.1 for as long as the test runs. `index.html` gets a first script that
/// sets the browser's clock to `today` (noon), standing in for the phone's date.
fn serve(dir: PathBuf, today: &'static str) -> u16 {
    let listener = ok(TcpListener::bind("127.0.0.1:0"));
    let port = ok(listener.local_addr()).port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            answer(stream, &dir, today);
        }
    });
    port
}

fn answer(mut stream: TcpStream, dir: &Path, today: &str) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request);
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let name = match path.trim_start_matches('/') {
        "" => "index.html",
        name => name,
    };
    let file = (!name.contains("..") && !name.contains('/'))
        .then(|| std::fs::read(dir.join(name)).ok())
        .flatten();
    let Some(mut body) = file else {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    if name == "index.html" {
        let clock = format!(
            "<head>\n<script>(function(){{var T=new Date('{today}T12:00:00').getTime();var D=Date;\
             class F extends D{{constructor(...a){{if(a.length){{super(...a);}}else{{super(T);}}}}static now(){{return T;}}}}\
             window.Date=F;}})();</script>"
        );
        body = String::from_utf8_lossy(&body)
            .replacen("<head>", &clock, 1)
            .into_bytes();
    }
    let kind = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        _ => "text/plain; charset=utf-8",
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// What the browser shows at `url`: the DOM after the page's scripts ran (or a screenshot of a
/// 390×844 phone screen into `shot`).
fn open(chrome: &Path, url: &str, lang: &str, shot: Option<&Path>) -> String {
    let profile = ok(tempfile::tempdir());
    let mut command = Command::new(chrome);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--hide-scrollbars",
        "--virtual-time-budget=20000",
        "--window-size=390,844",
    ]);
    command.arg(format!("--user-data-dir={}", profile.path().display()));
    command.arg(format!("--lang={lang}"));
    command.arg(format!("--accept-lang={lang}"));
    match shot {
        Some(file) => command.arg(format!("--screenshot={}", file.display())),
        None => command.arg("--dump-dom"),
    };
    command.arg(url);
    command.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = ok(command.spawn());
    let deadline = Instant::now() + Duration::from_mins(2);
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut out);
    }
    while ok(child.try_wait()).is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish with {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    out
}

/// The verdict the page put on its `<main>`.
fn status(dom: &str) -> &str {
    let Some(start) = dom.find("id=\"app\" data-status=\"") else {
        panic!("no verdict in the page: {dom}");
    };
    let rest = &dom[start + "id=\"app\" data-status=\"".len()..];
    &rest[..rest.find('"').unwrap_or(0)]
}

/// The verdict's visible text, and what follows it.
fn text(dom: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in dom.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Demo {
    world: common::World,
    site: tempfile::TempDir,
    /// The links printed on three certificates: valid, revoked, reissued.
    valid: String,
    revoked: String,
    superseded: String,
    new_number: String,
    key: String,
}

/// A body with its page's address; three certificates printed by the signatory; one revoked on
/// a labour inspection's act, one reissued; the signatory signs in again (signing the list);
/// the administrator publishes the page into a folder.
fn demo() -> Demo {
    let mut w = world();
    let admin = w.admin.clone();
    let officer = w.officer.clone();
    let mut body = ok(spravka::service::lists::body(&w.store)).unwrap_or_else(|| panic!("body"));
    body.verify_address = Some("https://akimat.almaty.gov.kz/spravka/".into());
    ok(setup::update_body(
        &mut w.store,
        &admin,
        &body,
        at("2026-11-20 09:00"),
    ));
    let (_, valid) = common::issued(&mut w, "Қасымқызы");
    let (_, revoked) = common::issued(&mut w, "Омаров");
    let (_, reissued) = common::issued(&mut w, "Петренко");
    let link = |w: &mut common::World, number: &str| {
        let sheet = ok(printing::certificate_sheet(
            &mut w.store,
            &officer,
            at("2026-11-25 11:00"),
            number,
            false,
        ));
        sheet.qr
    };
    let links = [valid.as_str(), revoked.as_str(), reissued.as_str()].map(|n| link(&mut w, n));
    // R§21: revoked on a control body's act.
    let record = ok(certificates::find_certificate(&w.store, &revoked));
    ok(certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-11-26 10:00"),
        record.id,
        &ControlAct {
            body: "Инспекция труда г. Алматы".into(),
            number: "17".into(),
            date: date("2026-11-26"),
        },
        "работа не по профессии",
    ));
    // R§22: reissued on a change of name: a new number, the old one superseded.
    let old = ok(certificates::find_certificate(&w.store, &reissued));
    let mut input = issue_application(&w, "2026-11-26 10:00");
    input.kind = ApplicationKind::Reissue;
    input.reissue_reason = Some(ReissueReason::NameChanged);
    input.certificate_id = Some(old.id);
    let re = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-26 10:00"),
        Some(old.applicant_id),
        &applicant("Петренко"),
        &input,
        &required_documents(ApplicationKind::Reissue, Some(ReissueReason::NameChanged)),
    ));
    let out = ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-26 11:00"),
        re.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    // The signatory's sign-in signs the list as it stands; the administrator publishes it.
    let signatory = ok(setup::sign_in(
        &mut w.store,
        "signatory",
        "password-123",
        at("2026-11-27 09:00"),
    ));
    let key = signatory
        .signing_key
        .map(|k| k.fingerprint)
        .unwrap_or_default();
    let site = ok(tempfile::tempdir());
    let published = ok(verifier::publish(
        &mut w.store,
        &admin,
        at("2026-11-27 10:00"),
        site.path(),
    ));
    assert_eq!(published.list.withdrawn, 2);
    assert_eq!(published.list.changes_since, 0);
    let [valid, revoked, superseded] = links;
    Demo {
        world: w,
        site,
        valid,
        revoked,
        superseded,
        new_number: out.number.unwrap_or_default(),
        key,
    }
}

/// The link with the test server in place of the body's site.
fn local(link: &str, port: u16, query: &str) -> String {
    let Some((_, fragment)) = link.split_once('#') else {
        panic!("the QR code is not a link: {link}");
    };
    format!("http://127.0.0.1:{port}/{query}#{fragment}")
}

#[test]
fn the_page_tells_valid_forged_revoked_superseded_and_refuses_a_changed_list() {
    let Some(chrome) = chromium() else {
        return;
    };
    let d = demo();
    assert!(
        d.valid
            .starts_with("https://akimat.almaty.gov.kz/spravka/#S2%7C"),
        "{}",
        d.valid
    );
    let port = serve(d.site.path().to_path_buf(), "2026-12-01");

    // A genuine code: valid, with the printed fields and the key that signed it.
    let dom = open(&chrome, &local(&d.valid, port, ""), "ru", None);
    assert_eq!(status(&dom), "valid", "{}", text(&dom));
    let shown = text(&dom);
    for expected in [
        "Справка действительна",
        "№ 00001/2026",
        "25.11.2026",
        "Қ.А.",
        "с 25.11.2026 по 24.02.2027",
        "Сейткалиев Нурлан Асетович",
        d.key.as_str(),
        "27.11.2026 09:00",
        "WebCrypto Ed25519",
    ] {
        assert!(shown.contains(expected), "{expected:?} not in {shown}");
    }

    // One changed character — in a field, or in the signature — is forged, and nothing of the
    // code is shown.
    let changed_field = d.valid.replacen("2027-02-24", "2027-02-25", 1);
    assert_ne!(changed_field, d.valid);
    let cut = d.valid.rfind("%7C").unwrap_or(0) + 3 + 10;
    let mut changed_signature = d.valid.clone();
    let was = changed_signature.as_bytes()[cut];
    changed_signature.replace_range(cut..=cut, if was == b'A' { "B" } else { "A" });
    for forged in [&changed_field, &changed_signature] {
        let dom = open(&chrome, &local(forged, port, ""), "ru", None);
        assert_eq!(status(&dom), "forged", "{forged}");
        let shown = text(&dom);
        assert!(shown.contains("Подделка"), "{shown}");
        assert!(!shown.contains("действительна"), "{shown}");
        assert!(!shown.contains("00001/2026"), "{shown}");
    }

    // The same with the library shipped beside the page, as a browser without WebCrypto
    // Ed25519 checks it.
    let dom = open(&chrome, &local(&d.valid, port, "?engine=noble"), "ru", None);
    assert_eq!(status(&dom), "valid");
    assert!(dom.contains("data-engine=\"noble\""));
    let dom = open(
        &chrome,
        &local(&changed_field, port, "?engine=noble"),
        "ru",
        None,
    );
    assert_eq!(status(&dom), "forged");

    // Revoked, with the act; reissued, with the new number.
    let dom = open(&chrome, &local(&d.revoked, port, ""), "ru", None);
    assert_eq!(status(&dom), "revoked");
    let shown = text(&dom);
    assert!(
        shown.contains("Инспекция труда г. Алматы, акт № 17 от 26.11.2026"),
        "{shown}"
    );
    let dom = open(&chrome, &local(&d.superseded, port, ""), "ru", None);
    assert_eq!(status(&dom), "superseded");
    assert!(text(&dom).contains(&format!("действует справка № {}", d.new_number)));

    // After its last day, as the phone's calendar says: expired.
    let later = serve(d.site.path().to_path_buf(), "2027-03-01");
    let dom = open(&chrome, &local(&d.valid, later, ""), "ru", None);
    assert_eq!(status(&dom), "expired");

    // Kazakh, as the browser's language asks.
    let dom = open(&chrome, &local(&d.valid, port, ""), "kk", None);
    assert!(dom.contains("<html lang=\"kk\""), "{dom}");
    assert!(text(&dom).contains("Анықтама жарамды"));

    // The list changed after it was signed — the revoked number taken out — is refused, and
    // then nothing reads valid, not even the genuine code.
    let tampered = ok(tempfile::tempdir());
    for entry in ok(std::fs::read_dir(d.site.path())) {
        let entry = ok(entry);
        ok(std::fs::copy(
            entry.path(),
            tampered.path().join(entry.file_name()),
        ));
    }
    let data = ok(std::fs::read_to_string(tampered.path().join("data.js")));
    let changed = data.replacen("00002/2026", "00099/2026", 1);
    assert_ne!(changed, data);
    ok(std::fs::write(tampered.path().join("data.js"), changed));
    let port = serve(tampered.path().to_path_buf(), "2026-12-01");
    for link in [&d.valid, &d.revoked] {
        let dom = open(&chrome, &local(link, port, ""), "ru", None);
        assert_eq!(status(&dom), "refused");
        assert!(!text(&dom).contains("действительна"));
    }
}

#[test]
fn a_code_the_body_did_not_sign_is_forged_in_the_browser_as_in_the_program() {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ed25519_dalek::{Signer, SigningKey};
    let Some(chrome) = chromium() else {
        return;
    };
    let d = demo();
    let port = serve(d.site.path().to_path_buf(), "2026-12-01");
    // The same fields signed with a key of one's own, named by the body's fingerprint or by its
    // own: both sides say forged.
    let payload = spravka::domain::verifier::payload_from_scan(&d.valid);
    let (signed, _) = payload.rsplit_once('|').unwrap_or_default();
    let own = SigningKey::from_bytes(&[9; 32]);
    let signature = URL_SAFE_NO_PAD.encode(own.sign(signed.as_bytes()).to_bytes());
    let forged = spravka::domain::verifier::qr_text(
        Some("akimat.almaty.gov.kz/spravka"),
        &format!("{signed}|{signature}"),
    );
    let v = ok(printing::verify(&d.world.store, &forged));
    assert_eq!(v.authentic, Some(false));
    let dom = open(&chrome, &local(&forged, port, ""), "ru", None);
    assert_eq!(status(&dom), "forged");
    // The genuine link, read by the program's own verify: authentic, as in the browser.
    let v = ok(printing::verify(&d.world.store, &d.valid));
    assert_eq!(v.authentic, Some(true));
    assert_eq!(v.key.as_deref(), Some(d.key.as_str()));
}

/// Screenshots of the page on a phone's screen (390×844), in both languages, for the README:
/// written under the test's target folder.
#[test]
fn screenshots_at_phone_size() {
    let Some(chrome) = chromium() else {
        return;
    };
    let d = demo();
    let port = serve(d.site.path().to_path_buf(), "2026-12-01");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("verifier-screenshots");
    ok(std::fs::create_dir_all(&out));
    let mut changed = d.valid.clone();
    changed = changed.replacen("2027-02-24", "2027-12-24", 1);
    for (name, link, lang) in [
        ("verifier-valid-ru", &d.valid, "ru"),
        ("verifier-valid-kk", &d.valid, "kk"),
        ("verifier-forged-ru", &changed, "ru"),
        ("verifier-forged-kk", &changed, "kk"),
        ("verifier-revoked-ru", &d.revoked, "ru"),
        ("verifier-superseded-kk", &d.superseded, "kk"),
    ] {
        let file = out.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&file);
        open(&chrome, &local(link, port, ""), lang, Some(&file));
        let size = std::fs::metadata(&file).map_or(0, |m| m.len());
        assert!(size > 10_000, "{name}: {size} bytes");
    }
}
