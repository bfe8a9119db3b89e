//! The administrator's commands: init, check, backup, restore, demo, export, import.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use crate::service::maintenance::{self, Store, display_location, server_url};
use std::io::IsTerminal;

use crate::domain::roles::Action;
use crate::service::eds::{self, Method, Target};
use crate::service::{Clock, ServiceError, Session, SystemClock, exchange, lookup, reports, setup};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RegisterArg {
    Applications,
    Certificates,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
}

/// The language of an export's words (the interface's two).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Ru,
    Kk,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormatArg {
    Json,
    Xlsx,
    Pdf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportWhat {
    Applications,
}

#[derive(Debug, Subcommand)]
pub enum PrintWhat {
    /// A certificate on the form of Appendix 3.
    Certificate {
        number: String,
        /// Print the duplicate (marked "ДУБЛИКАТ").
        #[arg(long)]
        duplicate: bool,
        /// A sample marked "ОБРАЗЕЦ — не действителен", not recorded as a copy.
        #[arg(long)]
        preview: bool,
        /// The serial number of the blank form, if the body uses numbered forms.
        #[arg(long)]
        form_serial: Option<String>,
        #[arg(long)]
        out: PathBuf,
        /// Sign with EDS (R§13, the signatory): `pkcs12:PATH` (password from
        /// SPRAVKA_KEY_PASSWORD or asked) or `ncalayer[:URL]`. Writes OUT and OUT.cms.
        #[arg(long, value_name = "pkcs12:PATH|ncalayer[:URL]")]
        sign: Option<String>,
    },
    /// Every valid certificate issued in a period, one per page, as one PDF.
    Certificates {
        #[arg(long, value_parser = super::rules::parse_date)]
        issued_from: NaiveDate,
        #[arg(long, value_parser = super::rules::parse_date)]
        issued_to: NaiveDate,
        #[arg(long)]
        out: PathBuf,
    },
    /// The pre-filled application (Appendix 1), by application number or id.
    Application {
        id: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// The motivated refusal of a refused application, by number or id.
    Refusal {
        id: String,
        #[arg(long)]
        out: PathBuf,
        /// Sign with EDS as for a certificate; writes OUT and OUT.cms.
        #[arg(long, value_name = "pkcs12:PATH|ncalayer[:URL]")]
        sign: Option<String>,
    },
    /// The protocol of a commission meeting (R§9).
    Protocol {
        meeting_id: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Creates the database (or migrates an existing one) and fills the reference lists.
    Init,
    /// Integrity, foreign keys and the audit chain; exit 1 if anything is wrong.
    Check,
    /// A consistent copy with SQLite's online backup API (works while the app is open).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Replaces the database by a backup that passes `check`; the current file is kept beside it.
    Restore { file: PathBuf },
    /// Adds a realistic, deterministic demo data set.
    Demo {
        #[arg(long)]
        applications: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The last day of the generated period (default: today).
        #[arg(long, value_parser = super::rules::parse_date)]
        until: Option<NaiveDate>,
    },
    /// Writes the register of applications or certificates (no identity numbers).
    Export {
        what: RegisterArg,
        #[arg(long, value_enum)]
        format: FormatArg,
        #[arg(long)]
        out: PathBuf,
        /// The language of the headers, kinds and statuses.
        #[arg(long, value_enum, default_value = "ru")]
        lang: LangArg,
    },
    /// The report for a period (aggregates only, no personal data) as JSON, XLSX or PDF.
    Report {
        #[arg(long, value_parser = super::rules::parse_date)]
        from: NaiveDate,
        #[arg(long, value_parser = super::rules::parse_date)]
        to: NaiveDate,
        #[arg(long, value_enum, default_value = "json")]
        format: ReportFormatArg,
        #[arg(long)]
        out: PathBuf,
    },
    /// Imports applications from a JSON file, all or nothing (format: README).
    Import { what: ImportWhat, file: PathBuf },
    /// Prints a document to a PDF file (each certificate print is recorded as a copy).
    Print {
        #[command(subcommand)]
        what: PrintWhat,
    },
    /// Checks a certificate's QR payload (or looks up a number) and prints its current status.
    Verify { payload_or_number: String },
    /// Checks the EDS signatures of a PDF: whole file covered, digest, signer, chain to a
    /// trusted root, and whether it is the document stored for its number. Exit 1 unless valid.
    VerifySignature {
        file: PathBuf,
        /// A root certificate (PEM or DER) to trust besides those stored; may repeat.
        #[arg(long)]
        trust: Vec<PathBuf>,
    },
    /// Adds root certificates (the NCA RK roots, PEM or DER) that signatures are checked
    /// against (administrator).
    TrustRoot { file: PathBuf },
    /// Copies this SQLite file into an empty PostgreSQL database (the akimat's server): every
    /// table verbatim (scans, the audit chain, certificate numbers), then checks the copy
    /// there. A target with any table is refused (administrator).
    CopyTo {
        /// postgres://user:password@host:5432/spravka, or postgresql:///spravka?host=/dir&port=N&user=U
        url: String,
    },
    /// Writes the static verification page and the newest signed list of revoked and superseded
    /// certificates into a folder, to copy to the body's website (administrator).
    PublishVerifier {
        #[arg(long)]
        out: PathBuf,
    },
    /// Test support: registers applications in a loop, printing each committed number.
    #[cfg(feature = "test-support")]
    #[command(hide = true)]
    CrashWriter,
}

fn open(db: &Path) -> Result<Store> {
    maintenance::open(db).map_err(anyhow::Error::from)
}

/// The session of `user` for a command that shows or changes applicants' data (issue 12): the
/// password from `SPRAVKA_PASSWORD`, or asked on the terminal without echo. The command then
/// acts with that user's roles and name in the log. A wrong password is logged by the service
/// (and counts towards the lockout) and answered after a pause, as in the window.
fn signed_in(
    store: &mut Store,
    user: Option<&str>,
    now: chrono::NaiveDateTime,
    action: Action,
) -> Result<Session> {
    let Some(name) = user.map(str::trim).filter(|n| !n.is_empty()) else {
        bail!(
            "this command shows or changes applicants' data: sign in with --user NAME (the password is asked, or read from SPRAVKA_PASSWORD)"
        );
    };
    let password = match std::env::var("SPRAVKA_PASSWORD") {
        Ok(password) => password,
        Err(_) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password(format!("password for {name}: "))
                .context("cannot read the password")?
        }
        Err(_) => {
            bail!("no password for {name}: set SPRAVKA_PASSWORD or run the command on a terminal")
        }
    };
    let session = match setup::sign_in(store, name, &password, now) {
        Ok(session) => session,
        Err(e @ (ServiceError::BadCredentials | ServiceError::Locked { .. })) => {
            std::thread::sleep(crate::domain::password::retry_delay(2));
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    if session.must_change_password {
        bail!("{name} must change the password in the window before using the command line");
    }
    if !session.may(action) {
        bail!("the roles of {name} do not allow this command");
    }
    Ok(session)
}

pub fn run(db: &Path, user: Option<&str>, command: AdminCommand) -> Result<bool> {
    let now = SystemClock.now();
    match command {
        AdminCommand::Init => {
            let store = maintenance::open_or_init(db)?;
            let set_up = setup::is_set_up(&store)?;
            println!(
                "{}: ready{}",
                store.location(),
                if set_up {
                    ""
                } else {
                    " (the first start of the window creates the administrator)"
                }
            );
            Ok(true)
        }
        AdminCommand::Check => {
            if server_url(db).is_none() && !db.exists() {
                bail!("{} does not exist", db.display());
            }
            let report = maintenance::check_file(db)
                .with_context(|| format!("cannot check {}", display_location(db)))?;
            println!("{}", display_location(db));
            println!("{report}");
            Ok(report.is_clean())
        }
        AdminCommand::Backup { out } => {
            let mut store = open(db)?;
            let session = setup::system_session(&mut store, now)?;
            maintenance::backup(&store, &session, &out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("{} → {}", display_location(db), out.display());
            Ok(true)
        }
        AdminCommand::Restore { file } => {
            if !file.is_file() {
                bail!("{} does not exist or is not a file", file.display());
            }
            // Only the administrator restores. The credentials are checked against the database
            // being replaced, or — when it cannot be opened, which is why one restores — against
            // the backup, which must pass its check anyway.
            if let Ok(mut store) = open(db) {
                signed_in(&mut store, user, now, Action::Backup)?;
            } else {
                // A copy of the backup, so that opening it changes nothing in the backup.
                let copy = std::env::temp_dir()
                    .join(format!("spravka-restore-check-{}.db", std::process::id()));
                std::fs::copy(&file, &copy)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let signed = open(&copy)
                    .and_then(|mut store| signed_in(&mut store, user, now, Action::Backup));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
                }
                signed?;
            }
            let kept = maintenance::restore(db, &file, now)?;
            println!("{} restored from {}", display_location(db), file.display());
            if let Some(kept) = kept {
                println!("what it replaced is kept as {}", kept.display());
            }
            Ok(true)
        }
        AdminCommand::Demo {
            applications,
            seed,
            until,
        } => {
            let mut store = open(db)?;
            // Into a new database anyone may generate a demo; into one that has users, only
            // its administrator, signed in.
            if setup::is_set_up(&store)? {
                signed_in(&mut store, user, now, Action::ManageUsers)?;
            }
            let until = until.unwrap_or(now.date());
            let started = Instant::now();
            let report = crate::demo::generate(&mut store, applications, seed, until, |n| {
                eprint!("\r{n} / {applications}");
            })?;
            eprintln!();
            drop(store);
            println!(
                "{} applications, {} certificates, {} meetings in {:.1} s",
                report.applications,
                report.certificates,
                report.meetings,
                started.elapsed().as_secs_f64(),
            );
            if server_url(db).is_none() {
                let size = std::fs::metadata(db).map_or(0, |m| m.len());
                println!(
                    "{} is {:.1} MB ({} bytes per application)",
                    db.display(),
                    size as f64 / 1e6,
                    size / report.applications.max(1) as u64
                );
            }
            println!(
                "demo users: admin, officer, secretary, member, signatory; password {}",
                crate::demo::DEMO_PASSWORD
            );
            Ok(true)
        }
        AdminCommand::Export {
            what,
            format,
            out,
            lang,
        } => {
            let mut store = open(db)?;
            let session = signed_in(&mut store, user, now, Action::ViewPersonalData)?;
            let register = match what {
                RegisterArg::Applications => exchange::Register::Applications,
                RegisterArg::Certificates => exchange::Register::Certificates,
            };
            let format = match format {
                FormatArg::Csv => exchange::Format::Csv,
                FormatArg::Xlsx => exchange::Format::Xlsx,
            };
            let words = crate::ui::i18n::Tr::new(match lang {
                LangArg::Ru => crate::ui::i18n::Lang::Ru,
                LangArg::Kk => crate::ui::i18n::Lang::Kk,
            });
            let rows = exchange::export(&mut store, &session, now, register, format, &out, &words)?;
            println!("{rows} rows → {}", out.display());
            Ok(true)
        }
        AdminCommand::Report {
            from,
            to,
            format,
            out,
        } => {
            let Some(period) = reports::Period::new(from, to) else {
                bail!("the period ends ({to}) before it starts ({from})");
            };
            let mut store = open(db)?;
            let session = signed_in(&mut store, user, now, Action::ViewReports)?;
            let started = Instant::now();
            let report = reports::report(&store, &session, period, now.date())?;
            let format = match format {
                ReportFormatArg::Json => reports::Format::Json,
                ReportFormatArg::Xlsx => reports::Format::Xlsx,
                ReportFormatArg::Pdf => reports::Format::Pdf,
            };
            reports::write(&mut store, &session, now, &report, format, &out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!(
                "{} applications received, {} decided ({} on time) from {from} to {to} → {} in {:.2} s",
                report.received.total,
                report.timeliness.decided,
                report.timeliness.on_time,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(true)
        }
        AdminCommand::Import {
            what: ImportWhat::Applications,
            file,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let mut store = open(db)?;
            let session = signed_in(&mut store, user, now, Action::RegisterApplication)?;
            match exchange::import_applications(&mut store, &session, now, &text)? {
                exchange::ImportReport::Imported { count, numbers } => {
                    println!("{count} applications imported: {}", numbers.join(", "));
                    Ok(true)
                }
                exchange::ImportReport::Refused { errors } => {
                    eprintln!(
                        "nothing imported: {} of the records are wrong",
                        errors.len()
                    );
                    for e in errors {
                        eprintln!("record {}: {}", e.record, e.message);
                    }
                    Ok(false)
                }
            }
        }
        AdminCommand::CopyTo { url } => {
            if server_url(db).is_some() {
                bail!("copy-to copies a SQLite file: give the file with --db FILE");
            }
            if server_url(Path::new(&url)).is_none() {
                bail!("{url} is not a server URL (postgres://… or postgresql://…)");
            }
            let mut store = open(db)?;
            let session = signed_in(&mut store, user, now, Action::Backup)?;
            let started = Instant::now();
            let report = maintenance::copy_to_server(&store, &session, &url)?;
            for (table, rows) in &report.tables {
                println!("{table}: {rows}");
            }
            println!(
                "{} → {}: {} applications, {} audit rows, the chain verifies there ({:.1} s)",
                display_location(db),
                display_location(Path::new(&url)),
                report.applications,
                report.audit_rows,
                started.elapsed().as_secs_f64()
            );
            Ok(true)
        }
        AdminCommand::Print { what } => print(db, user, what),
        AdminCommand::VerifySignature { file, trust } => verify_signature(db, &file, &trust),
        AdminCommand::TrustRoot { file } => {
            let mut store = open(db)?;
            let session = signed_in(&mut store, user, now, Action::ManageBody)?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let added = eds::add_trusted_roots(&mut store, &session, now, &bytes)?;
            println!("{added} root certificate(s) added");
            Ok(true)
        }
        AdminCommand::PublishVerifier { out } => {
            let mut store = open(db)?;
            let session = signed_in(&mut store, user, now, Action::ManageBody)?;
            let published = crate::service::verifier::publish(&mut store, &session, now, &out)?;
            let list = &published.list;
            println!(
                "{}: {}",
                published.folder.display(),
                published.files.join(", ")
            );
            println!(
                "list signed {} by {} (key {}): {} keys, {} certificates revoked or superseded",
                list.signed_at.format("%Y-%m-%d %H:%M"),
                list.signed_by,
                list.key,
                list.keys,
                list.withdrawn
            );
            if list.changes_since > 0 {
                println!(
                    "not in it yet: {} change(s) recorded since; they are signed at a signatory's next sign-in",
                    list.changes_since
                );
            }
            match &published.page {
                Some(page) => println!("copy the folder's files to {page}"),
                None => println!(
                    "no verification address is set: the QR codes stay bare until the administrator sets it"
                ),
            }
            Ok(true)
        }
        AdminCommand::Verify { payload_or_number } => {
            let store = open(db)?;
            let v = crate::service::printing::verify(&store, &payload_or_number)?;
            match v.authentic {
                Some(true) => println!(
                    "signature: authentic (signed by this body's key {}, {})",
                    v.key.as_deref().unwrap_or("?"),
                    v.key_holder
                        .as_deref()
                        .unwrap_or("the body's key before version 12")
                ),
                Some(false) => {
                    // Nothing after this may read like "valid": the paper proves nothing.
                    println!(
                        "signature: FORGED — the code was not signed by this body or was changed"
                    );
                    println!(
                        "do not rely on this paper; ask the body about certificate {}",
                        v.number
                    );
                    return Ok(false);
                }
                None => println!("signature: not checked (a number was given, not a QR code)"),
            }
            if !v.found {
                println!("certificate {}: not found in this database", v.number);
                return Ok(false);
            }
            let status = v.status.map(|s| s.to_string()).unwrap_or_default();
            println!("certificate {}: {status}", v.number);
            if let (Some(from), Some(to)) = (v.valid_from, v.valid_to) {
                println!("in the register: valid from {from} to {to}");
            }
            if let Some(next) = &v.superseded_by {
                println!("superseded by № {next}");
            }
            if let Some(act) = &v.revoked_by {
                println!("revoked by {act}");
            }
            if !v.differences.is_empty() {
                println!("the code differs from the register:");
                for d in &v.differences {
                    println!(
                        "  {}: the code says {}, the register {}",
                        d.field.name_en(),
                        d.in_code,
                        d.in_register
                    );
                }
            }
            Ok(v.authentic != Some(false) && v.differences.is_empty())
        }
        #[cfg(feature = "test-support")]
        AdminCommand::CrashWriter => crash_writer(db),
    }
}

/// An application given by its id or its register number.
fn application_id(store: &Store, session: &Session, id: &str) -> Result<i64> {
    if let Ok(n) = id.trim().parse::<i64>() {
        return Ok(n);
    }
    let found = lookup::find_application_by_number(store, session, id)?;
    found.with_context(|| format!("no application {} in {}", id.trim(), store.location()))
}

fn write_pdf(out: &Path, pdf: &[u8]) -> Result<()> {
    std::fs::write(out, pdf).with_context(|| format!("cannot write {}", out.display()))?;
    println!("{} ({} KB)", out.display(), pdf.len() / 1024);
    Ok(())
}

fn print(db: &Path, user: Option<&str>, what: PrintWhat) -> Result<bool> {
    use crate::service::printing;
    let mut store = open(db)?;
    let now = SystemClock.now();
    let session = signed_in(&mut store, user, now, Action::Print)?;
    match what {
        PrintWhat::Certificate {
            number,
            out,
            sign: Some(spec),
            duplicate,
            preview,
            form_serial,
        } => {
            if duplicate || preview || form_serial.is_some() {
                bail!(
                    "--sign signs the original electronic document: leave out --duplicate, --preview and --form-serial"
                );
            }
            sign_to(
                &mut store,
                &session,
                now,
                Target::Certificate(number),
                &spec,
                &out,
            )?;
        }
        PrintWhat::Certificate {
            number,
            duplicate,
            preview,
            form_serial,
            out,
            sign: None,
        } => {
            let pdf = printing::print_certificate(
                &mut store,
                &session,
                now,
                &number,
                duplicate,
                preview,
                form_serial.as_deref(),
            )?;
            write_pdf(&out, &pdf)?;
        }
        PrintWhat::Certificates {
            issued_from,
            issued_to,
            out,
        } => {
            let started = Instant::now();
            // Written into the file page by page: memory holds one chunk of pages.
            let file = std::fs::File::create(&out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            let printed = printing::print_certificates_batch_into(
                &mut store,
                &session,
                now,
                issued_from,
                issued_to,
                std::io::BufWriter::new(file),
                |done, total| {
                    if done % 100 == 0 || done == total {
                        eprint!("\r{done} / {total}");
                    }
                },
            );
            eprintln!();
            let count = match printed {
                Ok((_, count)) => count,
                Err(e) => {
                    let _ = std::fs::remove_file(&out);
                    return Err(e.into());
                }
            };
            let size = std::fs::metadata(&out).map_or(0, |m| m.len());
            println!("{} ({} KB)", out.display(), size / 1024);
            println!(
                "{count} certificates in {:.2} s",
                started.elapsed().as_secs_f64()
            );
        }
        PrintWhat::Application { id, out } => {
            let id = application_id(&store, &session, &id)?;
            write_pdf(
                &out,
                &printing::print_application(&mut store, &session, now, id)?,
            )?;
        }
        PrintWhat::Refusal {
            id,
            out,
            sign: Some(spec),
        } => {
            let id = application_id(&store, &session, &id)?;
            sign_to(&mut store, &session, now, Target::Refusal(id), &spec, &out)?;
        }
        PrintWhat::Refusal {
            id,
            out,
            sign: None,
        } => {
            let id = application_id(&store, &session, &id)?;
            write_pdf(
                &out,
                &printing::print_refusal(&mut store, &session, now, id)?,
            )?;
        }
        PrintWhat::Protocol { meeting_id, out } => {
            write_pdf(
                &out,
                &printing::print_protocol(&mut store, &session, now, meeting_id)?,
            )?;
        }
    }
    Ok(true)
}

/// The signer named by `--sign`: `pkcs12:PATH` or `ncalayer[:URL]`.
fn signer_from(spec: &str) -> Result<(Box<dyn eds::Signer + Send>, Method)> {
    let spec = if let Some(path) = spec.strip_prefix("pkcs12:") {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read the key file {path}"))?;
        let password = match std::env::var("SPRAVKA_KEY_PASSWORD") {
            Ok(password) => password,
            Err(_) if std::io::stdin().is_terminal() => {
                rpassword::prompt_password(format!("password for the key {path}: "))
                    .context("cannot read the password")?
            }
            Err(_) => {
                bail!("no key password: set SPRAVKA_KEY_PASSWORD or run the command on a terminal")
            }
        };
        eds::SignerSpec::KeyFile { bytes, password }
    } else if spec == "ncalayer" || spec.starts_with("ncalayer:") {
        let url = spec
            .strip_prefix("ncalayer:")
            .map_or_else(eds::ncalayer_url, str::to_string);
        eds::SignerSpec::NcaLayer {
            url,
            locale: "ru".to_string(),
        }
    } else {
        bail!("--sign takes pkcs12:PATH or ncalayer[:URL], not {spec}")
    };
    Ok(eds::open_signer(&spec)?)
}

/// Signs one result and writes OUT (the signed PDF) and OUT.cms (the detached CMS of it).
fn sign_to(
    store: &mut Store,
    session: &Session,
    now: chrono::NaiveDateTime,
    target: Target,
    spec: &str,
    out: &Path,
) -> Result<()> {
    let (mut key, method) = signer_from(spec)?;
    if matches!(method, Method::NcaLayer) {
        eprintln!("choose the key and type its password in the NCALayer window…");
    }
    let signed = eds::sign_documents(
        store,
        session,
        now,
        &[target],
        key.as_mut(),
        method,
        |_, _| {},
    )?;
    let Some(signed) = signed.into_iter().next() else {
        bail!("nothing was signed");
    };
    write_pdf(out, &signed.pdf)?;
    let mut cms_path = out.as_os_str().to_owned();
    cms_path.push(".cms");
    let cms_path = PathBuf::from(cms_path);
    std::fs::write(&cms_path, &signed.cms)
        .with_context(|| format!("cannot write {}", cms_path.display()))?;
    let row = &signed.row;
    println!("{}", cms_path.display());
    println!(
        "signed by {}{} (certificate {}, valid {} to {}) at {}",
        row.signer_name,
        row.signer_iin
            .as_deref()
            .map(|iin| format!(", IIN {iin}"))
            .unwrap_or_default(),
        row.cert_serial,
        row.cert_not_before.date(),
        row.cert_not_after.date(),
        row.signed_at.format("%Y-%m-%d %H:%M")
    );
    Ok(())
}

/// `verify-signature`: prints each signature's findings; true only when the document is valid.
fn verify_signature(db: &Path, file: &Path, trust: &[PathBuf]) -> Result<bool> {
    use crate::domain::eds::{Chain, Verdict};
    let store = open(db)?;
    let pdf = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut roots = Vec::new();
    for path in trust {
        roots.push(std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?);
    }
    let check = eds::verify_pdf(&store, &pdf, &roots)?;
    let yes_no = |v: Option<bool>, yes: &str, no: &str| match v {
        Some(true) => yes.to_string(),
        Some(false) => no.to_string(),
        None => "cannot check in this build".to_string(),
    };
    for (i, s) in check.signatures.iter().enumerate() {
        let f = &s.findings;
        println!("signature {}:", i + 1);
        println!(
            "  signer: {}{}; certificate {} issued by {}, valid {} to {}",
            s.signer.name,
            s.signer
                .iin
                .as_deref()
                .map(|iin| format!(", IIN {iin}"))
                .unwrap_or_default(),
            s.signer.serial,
            s.signer.issuer,
            s.signer.not_before.date(),
            s.signer.not_after.date()
        );
        if let Some(t) = s.signing_time {
            println!("  signed at: {} UTC", t.format("%Y-%m-%d %H:%M:%S"));
        }
        println!(
            "  covers the whole file: {}",
            if f.covers_whole_file {
                "yes"
            } else {
                "NO — bytes were added or left out"
            }
        );
        println!(
            "  digest: {}",
            yes_no(
                f.digest_matches,
                "matches",
                "MISMATCH — the document was changed after signing"
            )
        );
        println!(
            "  signature: {}",
            yes_no(f.signature_verifies, "verifies", "DOES NOT VERIFY")
        );
        println!(
            "  certificate: {}",
            match f.chain {
                Chain::Trusted => "trusted (chains to a trusted root)",
                Chain::NotTrusted =>
                    "not trusted (no chain to a trusted root; add the root with --trust)",
                Chain::CannotCheck => "cannot check in this build",
            }
        );
        println!(
            "  verdict: {}",
            match s.verdict {
                Verdict::Valid => "VALID",
                Verdict::ValidNotTrusted => "intact, but the signer is NOT TRUSTED",
                Verdict::CannotCheck =>
                    "CANNOT CHECK in this build (GOST or another algorithm) — not reported valid",
                Verdict::Invalid => "INVALID",
            }
        );
    }
    match &check.stored {
        eds::Stored::Current {
            kind,
            number,
            signed_at,
        } => println!(
            "record: the {} {number} signed on {} as stored in this database",
            kind.code(),
            signed_at.format("%Y-%m-%d %H:%M")
        ),
        eds::Stored::Older {
            kind,
            number,
            newer_at,
        } => println!(
            "record: an earlier signing of the {} {number}; signed again on {}",
            kind.code(),
            newer_at.format("%Y-%m-%d %H:%M")
        ),
        eds::Stored::NotStored => println!("record: not a document stored in this database"),
    }
    Ok(check.verdict() == Verdict::Valid)
}

/// Registers applications one transaction at a time until killed, printing each committed
/// number: the crash test kills it and checks that every printed record survived.
#[cfg(feature = "test-support")]
fn crash_writer(db: &Path) -> Result<bool> {
    use crate::domain::documents::required_documents;
    use crate::domain::forms::{ApplicantInput, ApplicationInput, Channel};
    use crate::domain::kind::ApplicationKind;
    use std::io::Write;
    let mut store = open(db)?;
    let now = SystemClock.now();
    let session = setup::system_session(&mut store, now)?;
    let profession = crate::service::applications::professions(&store)?
        .first()
        .map(|p| p.id);
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let applicant = ApplicantInput {
            surname: format!("Тестов{i}"),
            given_name: "Краш".into(),
            citizenship: "Узбекистан".into(),
            birth_date: NaiveDate::from_ymd_opt(1987, 10, 8),
            iin: "871008401427".into(),
            doc_type: "паспорт".into(),
            doc_number: format!("{i:07}"),
            ..ApplicantInput::default()
        };
        let app = ApplicationInput {
            kind: ApplicationKind::Issue,
            reissue_reason: None,
            profession_id: profession,
            certificate_id: None,
            employer_name: String::new(),
            employer_id: String::new(),
            contract_end: None,
            consent: true,
            channel: Channel::Egov,
            filed_at: now,
        };
        let docs = required_documents(ApplicationKind::Issue, None);
        let reg = crate::service::applications::register_application(
            &mut store, &session, now, None, &applicant, &app, &docs,
        )?;
        writeln!(out, "{}", reg.id)?;
        out.flush()?;
    }
    Ok(true)
}
