//! `spravka-bench`: the program's speed at several scales, as numbers (a table and JSON).
//!
//! ```text
//! cargo run --release --bin spravka-bench -- [--scales 10000,100000,1000000] [--out FILE.json]
//! ```
//!
//! Each scale is a `demo` database, generated once and cached in `target/bench-cache/`. Every
//! scale is measured in its own child process so that its peak resident memory is its own.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Parser;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use spravka::service::applications::{self, RegistryFilter, RegistrySort};
use spravka::service::{FixedClock, setup};
use spravka::store::{Store, lookup};
use spravka::ui::App;

#[derive(Debug, Parser)]
#[command(name = "spravka-bench", about = "Measures spravka at several scales")]
struct Args {
    /// Numbers of applications, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    scales: Vec<usize>,
    /// Where to write the JSON results.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where the generated databases are kept between runs.
    #[arg(long, default_value = "target/bench-cache")]
    cache: PathBuf,
    /// Internal: measure one database in this process and print JSON.
    #[arg(long, hide = true)]
    measure: Option<PathBuf>,
    /// Print N certificates of a fixed sheet, alone and as one batch, with no database (for a
    /// profiler: `perf record spravka-bench --print-only 1000`).
    #[arg(long, hide = true)]
    print_only: Option<usize>,
    /// Compare the engines: each scale's demo file and its copy on this PostgreSQL server (a
    /// URL with `{db}` where the database's name goes, e.g.
    /// `postgresql:///{db}?host=/tmp/pg&port=5432&user=spravka`); search, registry rows and
    /// opening an application, measured on both in one run.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// Internal: open the database, draw the first frame, exit.
    #[arg(long, hide = true)]
    first_frame: Option<PathBuf>,
}

/// The fixed end date of the demo data, so that cached databases stay comparable.
fn until() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = if let Some(db) = &args.first_frame {
        first_frame(db);
        Ok(())
    } else if let Some(n) = args.print_only {
        print_only(n)
    } else if let Some(db) = &args.measure {
        measure(db).map(|v| println!("{v}"))
    } else if let Some(template) = &args.postgres {
        compare_engines(&args, template)
    } else {
        run(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50, p95 and max of durations, in milliseconds.
fn percentiles(mut samples: Vec<f64>) -> Value {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    json!({ "p50_ms": at(0.5), "p95_ms": at(0.95), "max_ms": at(1.0), "n": samples.len() })
}

/// The cached demo database of `scale` applications, generated when missing; its path and
/// what generating it took.
fn demo_database(cache: &Path, scale: usize) -> Result<(PathBuf, Value)> {
    std::fs::create_dir_all(cache)?;
    let db = cache.join(format!("demo-{scale}.db"));
    let meta = cache.join(format!("demo-{scale}.json"));
    if !db.exists() || !meta.exists() {
        let _ = std::fs::remove_file(&db);
        eprintln!("generating {scale} applications…");
        let started = Instant::now();
        let mut store = Store::open(&db)?;
        spravka::demo::generate(&mut store, scale, 1, until(), |_| {})?;
        drop(store);
        let seconds = started.elapsed().as_secs_f64();
        let size = std::fs::metadata(&db)?.len();
        std::fs::write(
            &meta,
            json!({ "seconds": seconds, "bytes": size }).to_string(),
        )?;
    }
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(&meta)?)?;
    Ok((db, demo))
}

/// Search, registry rows and opening an application on the demo file and on its copy on the
/// server, each scale in one run: the same queries, the same application ids.
fn compare_engines(args: &Args, template: &str) -> Result<()> {
    if !template.contains("{db}") {
        bail!("--postgres needs {{db}} in the URL, where the database's name goes");
    }
    let mut rows = Vec::new();
    for &scale in &args.scales {
        let (file, _) = demo_database(&args.cache, scale)?;
        let name = format!("spravka_bench_{scale}");
        let url = template.replace("{db}", &name);
        if spravka::store::pg::create_database(&template.replace("{db}", "postgres"), &name)? {
            eprintln!("copying {scale} applications to the server…");
            let started = Instant::now();
            let source = Store::open(&file)?;
            spravka::store::copy::copy_to_server(&source, &url)?;
            eprintln!("copied in {:.1} s", started.elapsed().as_secs_f64());
        }
        for (engine, location) in [("sqlite", file.clone()), ("postgres", PathBuf::from(&url))] {
            eprintln!("measuring {scale} on {engine}…");
            let mut store = Store::open(&location)?;
            let session = officer(&mut store)?;
            let mut measured = measure_core(&mut store, &session)?;
            drop(store);
            measured["two_desks"] = two_desks(&location)?;
            measured["engine"] = json!(engine);
            measured["scale"] = json!(scale);
            rows.push(measured);
        }
    }
    println!(
        "{:<10}{:<10}{:>22}{:>22}{:>22}{:>30}",
        "scale",
        "engine",
        "search p50/p95 ms",
        "registry reload ms",
        "open p50/p95 ms",
        "two desks: per s, p95 ms"
    );
    for r in &rows {
        println!(
            "{:<10}{:<10}{:>22}{:>22}{:>22}{:>30}",
            r["scale"].to_string(),
            r["engine"].as_str().unwrap_or(""),
            format!(
                "{:.2} / {:.2}",
                r["search"]["p50_ms"].as_f64().unwrap_or(0.0),
                r["search"]["p95_ms"].as_f64().unwrap_or(0.0)
            ),
            format!(
                "{:.2}",
                r["registry_reload"]["p50_ms"].as_f64().unwrap_or(0.0)
            ),
            format!(
                "{:.2} / {:.2}",
                r["open_application"]["p50_ms"].as_f64().unwrap_or(0.0),
                r["open_application"]["p95_ms"].as_f64().unwrap_or(0.0)
            ),
            format!(
                "{:.0}, {:.1}",
                r["two_desks"]["per_second"].as_f64().unwrap_or(0.0),
                r["two_desks"]["register"]["p95_ms"].as_f64().unwrap_or(0.0)
            ),
        );
    }
    if let Some(out) = &args.out {
        std::fs::write(
            out,
            serde_json::to_string_pretty(&json!({ "machine": machine(), "engines": rows }))?,
        )
        .with_context(|| format!("cannot write {}", out.display()))?;
    }
    Ok(())
}

/// Two desks registering at once, each on its own connection (two threads): registrations a
/// second over both, and the time of one registration, waiting for the other desk's write
/// included. Each run adds 100 applications to the measured database.
fn two_desks(location: &Path) -> Result<Value> {
    use spravka::domain::ApplicationKind;
    use spravka::domain::documents::required_documents;
    use spravka::domain::forms::{ApplicantInput, ApplicationInput, Channel};
    const PER_DESK: usize = 50;
    let now = until().and_hms_opt(12, 0, 0).unwrap_or_default();
    // Both desks signed in before the clock starts (a sign-in's Argon2 is not a write).
    let ready = std::sync::Arc::new(std::sync::Barrier::new(2));
    let desks: Vec<_> = (0..2)
        .map(|desk| {
            let location = location.to_path_buf();
            let ready = std::sync::Arc::clone(&ready);
            std::thread::spawn(move || -> Result<(Vec<f64>, Instant, Instant)> {
                let mut store = Store::open(&location)?;
                let session =
                    setup::sign_in(&mut store, "officer", spravka::demo::DEMO_PASSWORD, now)?;
                let profession = applications::professions(&store)?
                    .first()
                    .map(|p| p.id)
                    .context("no profession")?;
                let app = ApplicationInput {
                    kind: ApplicationKind::Issue,
                    reissue_reason: None,
                    profession_id: Some(profession),
                    certificate_id: None,
                    employer_name: String::new(),
                    employer_id: String::new(),
                    contract_end: None,
                    consent: true,
                    channel: Channel::Egov,
                    filed_at: now,
                };
                let docs = required_documents(ApplicationKind::Issue, None);
                let mut times = Vec::new();
                ready.wait();
                let start = Instant::now();
                for i in 0..PER_DESK {
                    let person = ApplicantInput {
                        surname: format!("Скамейкин{desk}x{i}"),
                        given_name: "Айгүл".into(),
                        citizenship: "Кыргызстан".into(),
                        birth_date: NaiveDate::from_ymd_opt(1987, 10, 8),
                        iin: "871008401427".into(),
                        doc_type: "паспорт".into(),
                        doc_series: "AC".into(),
                        doc_number: format!("B{desk}{i:05}"),
                        address: "г. Алматы, ул. Абая, 1".into(),
                        phone: "+7 701 000 00 00".into(),
                        ..ApplicantInput::default()
                    };
                    let one = Instant::now();
                    applications::register_application(
                        &mut store, &session, now, None, &person, &app, &docs,
                    )?;
                    times.push(ms(one.elapsed()));
                }
                Ok((times, start, Instant::now()))
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut span: Option<(Instant, Instant)> = None;
    for desk in desks {
        let (desk_times, start, end) = desk
            .join()
            .map_err(|_| anyhow::anyhow!("a desk panicked"))??;
        times.extend(desk_times);
        span = Some(span.map_or((start, end), |(s, e)| (s.min(start), e.max(end))));
    }
    let seconds = span.map_or(0.0, |(s, e)| (e - s).as_secs_f64());
    Ok(json!({
        "registrations": times.len(),
        "seconds": seconds,
        "per_second": times.len() as f64 / seconds,
        "register": percentiles(times),
    }))
}

fn run(args: &Args) -> Result<()> {
    let exe = std::env::current_exe()?;
    let mut results = Vec::new();
    for &scale in &args.scales {
        let (db, demo) = demo_database(&args.cache, scale)?;
        eprintln!("measuring {scale}…");
        let output = Command::new(&exe).arg("--measure").arg(&db).output()?;
        if !output.status.success() {
            bail!(
                "measuring {scale} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let mut measured: Value = serde_json::from_slice(&output.stdout)?;
        // Start-up: process start to the end of the first frame, best of five.
        let mut startups = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let status = Command::new(&exe).arg("--first-frame").arg(&db).status()?;
            if !status.success() {
                bail!("the start-up probe failed");
            }
            startups.push(ms(started.elapsed()));
        }
        measured["startup"] = percentiles(startups);
        measured["scale"] = json!(scale);
        measured["demo_seconds"] = demo["seconds"].clone();
        measured["db_bytes"] = demo["bytes"].clone();
        measured["db_bytes_per_application"] =
            json!(demo["bytes"].as_u64().unwrap_or(0) / scale.max(1) as u64);
        results.push(measured);
    }
    print_table(&results);
    if let Some(out) = &args.out {
        let mut file = std::fs::File::create(out)
            .with_context(|| format!("cannot write {}", out.display()))?;
        writeln!(
            file,
            "{}",
            serde_json::to_string_pretty(&json!({ "machine": machine(), "results": results }))?
        )?;
        eprintln!("written {}", out.display());
    }
    Ok(())
}

fn machine() -> Value {
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    json!({ "cpus": cpus, "os": std::env::consts::OS })
}

fn print_table(results: &[Value]) {
    let rows: &[(&str, &str, &str)] = &[
        ("search p50 ms", "search", "p50_ms"),
        ("search p95 ms", "search", "p95_ms"),
        ("search max ms", "search", "max_ms"),
        ("registry frame p50 ms", "registry_frame", "p50_ms"),
        ("registry frame p95 ms", "registry_frame", "p95_ms"),
        ("application frame p95 ms", "application_frame", "p95_ms"),
        ("registry filter reload ms", "registry_reload", "p50_ms"),
        ("start-up p50 ms", "startup", "p50_ms"),
        ("open application p50 ms", "open_application", "p50_ms"),
        ("open application p95 ms", "open_application", "p95_ms"),
        ("certificate PDF p50 ms", "certificate_pdf", "p50_ms"),
        ("batch PDF certificates", "batch_pdf", "certificates"),
        ("batch PDF total ms", "batch_pdf", "total_ms"),
        ("batch PDF MB", "batch_pdf", "megabytes"),
        ("yearly report p50 ms", "yearly_report", "p50_ms"),
        ("peak RSS MB", "peak_rss_mb", ""),
        ("  before printing MB", "peak_rss_before_printing_mb", ""),
        ("  after printing MB", "peak_rss_after_printing_mb", ""),
        ("demo generation s", "demo_seconds", ""),
        ("bytes per application", "db_bytes_per_application", ""),
    ];
    print!("{:<28}", "");
    for r in results {
        print!("{:>14}", r["scale"].to_string());
    }
    println!();
    for (name, key, sub) in rows {
        print!("{name:<28}");
        for r in results {
            let v = if sub.is_empty() {
                &r[*key]
            } else {
                &r[*key][*sub]
            };
            match v.as_f64() {
                Some(x) if x.fract() == 0.0 => print!("{x:>14.0}"),
                Some(x) => print!("{x:>14.2}"),
                None => print!("{:>14}", "—"),
            }
        }
        println!();
    }
}

fn peak_rss_mb() -> f64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0.0;
    };
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn frame_input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        events,
        ..egui::RawInput::default()
    }
}

/// The demo's signatory: reads the registry and prints, their key signing the QR codes of the
/// certificates not printed before (issue 12; a signed code is kept, so a second run of the
/// benchmark on the same database prints the codes kept by the first).
fn officer(store: &mut Store) -> Result<spravka::service::Session> {
    setup::sign_in(
        store,
        "signatory",
        spravka::demo::DEMO_PASSWORD,
        until().and_hms_opt(12, 0, 0).unwrap_or_default(),
    )
    .context("the demo signatory cannot sign in")
}

/// The start-up probe: everything the window does before and in its first frame.
fn first_frame(db: &Path) {
    let ctx = egui::Context::default();
    let mut app = App::new(
        db,
        Box::new(FixedClock(
            until().and_hms_opt(12, 0, 0).unwrap_or_default(),
        )),
    );
    let _ = ctx.run_ui(frame_input(vec![]), |ui| app.ui(ui));
}

/// The printing alone: `n` single certificates, then a batch of `n`.
fn print_only(n: usize) -> Result<()> {
    use spravka::print::certificate::{CertificateSheet, certificate_pdf, certificates_pdf};
    let day = until();
    let sheets: Vec<CertificateSheet> = (0..n)
        .map(|i| CertificateSheet {
            body_name: "Управление занятости и социальных программ города Алматы".into(),
            number: format!("{:05}/2026", i + 1),
            issued_on: day,
            holder: format!("Қасымқызы Айгерім Нұрланқызы {i}"),
            profession: "Главный инженер".into(),
            sector: "Обрабатывающая промышленность".into(),
            basis: "Рекомендация комиссии от 15.07.2026".into(),
            valid_from: day,
            valid_to: day,
            signatory_name: "Сейткалиев Нурлан Асетович".into(),
            signatory_position: "Руководитель управления".into(),
            qr: spravka::domain::verifier::qr_text(
                Some("akimat.almaty.gov.kz/spravka"),
                &format!(
                    "S2|0123456789abcdef|{:05}/2026|Қ.А.Н.|2026-11-20|2026-11-20|2029-11-20|{}",
                    i + 1,
                    "x".repeat(86)
                ),
            ),
            verify_page: Some("https://akimat.almaty.gov.kz/spravka/".into()),
            duplicate: false,
            preview: false,
        })
        .collect();
    let started = Instant::now();
    for sheet in &sheets {
        certificate_pdf(sheet)?;
    }
    let single = ms(started.elapsed()) / n.max(1) as f64;
    let started = Instant::now();
    let pdf = certificates_pdf(&sheets)?;
    let batch = ms(started.elapsed());
    println!(
        "one certificate {single:.3} ms; a batch of {n} in {batch:.1} ms, {:.2} MB",
        pdf.len() as f64 / 1e6
    );
    Ok(())
}

/// Search as the officer types, the registry's reload and opening applications: what both
/// engines are compared on. The queries and the application ids come from a fixed seed.
fn measure_core(store: &mut Store, session: &spravka::service::Session) -> Result<Value> {
    let now = until().and_hms_opt(12, 0, 0).unwrap_or_default();
    let count = store.read(lookup::count_applications)?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    // Search as the officer types: 1–6 characters of surnames in three scripts, IIN prefixes,
    // certificate and application numbers, through the registry's own query.
    let words = [
        "Иванов",
        "Қасымқызы",
        "Kasymov",
        "Смирнова",
        "Өтегенова",
        "Müller",
        "Nguyen",
        "Ұлықбекова",
        "O'Connor",
    ];
    let mut queries: Vec<String> = Vec::new();
    for word in words {
        let chars: Vec<char> = word.chars().collect();
        for n in 1..=chars.len().min(6) {
            queries.push(chars[..n].iter().collect());
        }
    }
    let samples = store.read(|tx| lookup::search_samples(tx, count, 40))?;
    for lookup::SearchSample {
        iin,
        number,
        certificate,
    } in &samples
    {
        for n in [2, 4, 6] {
            queries.push(iin.chars().take(n).collect());
        }
        queries.push(
            number
                .chars()
                .skip(5)
                .take(rng.random_range(3..=6))
                .collect(),
        );
        if !certificate.is_empty() {
            queries.push(certificate.chars().take(rng.random_range(3..=6)).collect());
        }
    }
    let mut search = Vec::new();
    for query in &queries {
        let filter = RegistryFilter {
            text: query.clone(),
            ..RegistryFilter::default()
        };
        let started = Instant::now();
        applications::registry_first(store, session, &filter, RegistrySort::Newest, 40)?;
        search.push(ms(started.elapsed()));
    }

    // The registry's full reload (no filter): what a change of filter costs.
    let mut reloads = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let filter = RegistryFilter::default();
        applications::registry_first(store, session, &filter, RegistrySort::Newest, 40)?;
        reloads.push(ms(started.elapsed()));
    }

    // Open an application: all its data and history (an audited read).
    let mut opens = Vec::new();
    for _ in 0..100 {
        let id = rng.random_range(1..=count);
        let started = Instant::now();
        applications::open_application(store, session, now, id)?;
        opens.push(ms(started.elapsed()));
    }
    Ok(json!({
        "search": percentiles(search),
        "search_queries": queries.len(),
        "registry_reload": percentiles(reloads),
        "open_application": percentiles(opens),
    }))
}

fn measure(db: &Path) -> Result<Value> {
    let now = until().and_hms_opt(12, 0, 0).unwrap_or_default();
    let mut store = Store::open(db)?;
    let session = officer(&mut store)?;
    let count = store.read(lookup::count_applications)?;
    let core = measure_core(&mut store, &session)?;
    let rss_before_printing = peak_rss_mb();
    // One certificate (with its signed QR code) to PDF: previews, so that no copy is recorded.
    let numbers = store.read(|tx| lookup::newest_valid_certificates(tx, 30))?;
    let mut certificate = Vec::new();
    for number in &numbers {
        let started = Instant::now();
        spravka::service::printing::print_certificate(
            &mut store, &session, now, number, false, true, None,
        )?;
        certificate.push(ms(started.elapsed()));
    }
    // A batch of up to 1000 valid certificates into one PDF (recorded as printed copies).
    let from = store
        .read(|tx| lookup::nth_newest_valid_issue_date(tx, 1000))?
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default());
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
    let started = Instant::now();
    let (pdf, printed) = spravka::service::printing::print_certificates_batch(
        &mut store,
        &session,
        now,
        from,
        far,
        |_, _| {},
    )?;
    let batch_ms = ms(started.elapsed());
    let rss_after_printing = peak_rss_mb();
    drop(store);

    // Frames, CPU only: the real App with the real store, headless.
    let ctx = egui::Context::default();
    let mut app = App::new(db, Box::new(FixedClock(now)));
    let mut store = Store::open(db)?;
    app.start_session(officer(&mut store)?);
    drop(store);
    let pointer = egui::Event::PointerMoved(egui::pos2(600.0, 500.0));
    for _ in 0..3 {
        let _ = ctx.run_ui(frame_input(vec![pointer.clone()]), |ui| app.ui(ui));
    }
    let mut registry = Vec::new();
    for i in 0..300 {
        let wheel = egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, if i % 100 < 90 { -240.0 } else { 2400.0 }),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        };
        let started = Instant::now();
        let _ = ctx.run_ui(frame_input(vec![pointer.clone(), wheel]), |ui| app.ui(ui));
        registry.push(ms(started.elapsed()));
    }
    app.open(count / 2);
    let mut application = Vec::new();
    for _ in 0..300 {
        let started = Instant::now();
        let _ = ctx.run_ui(frame_input(vec![pointer.clone()]), |ui| app.ui(ui));
        application.push(ms(started.elapsed()));
    }
    // The yearly report (issue 16): the year of the demo's last day, five times.
    let year = spravka::domain::report::Period::year_of(until());
    let mut reports = Vec::new();
    let store = Store::open(db)?;
    for _ in 0..5 {
        let started = Instant::now();
        let report = spravka::service::reports::report(&store, &session, year, until())?;
        reports.push(ms(started.elapsed()));
        std::hint::black_box(report);
    }
    Ok(json!({
        "applications": count,
        "yearly_report": percentiles(reports),
        "search": core["search"],
        "search_queries": core["search_queries"],
        "registry_reload": core["registry_reload"],
        "open_application": core["open_application"],
        "registry_frame": percentiles(registry),
        "application_frame": percentiles(application),
        "certificate_pdf": percentiles(certificate),
        "batch_pdf": json!({ "certificates": printed, "total_ms": batch_ms, "bytes": pdf.len(), "megabytes": pdf.len() as f64 / 1e6 }),
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_before_printing_mb": rss_before_printing,
        "peak_rss_after_printing_mb": rss_after_printing,
    }))
}
