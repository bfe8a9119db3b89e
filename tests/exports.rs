//! Exports in the reader's language (issue 14): kinds and statuses in words, not codes, under
//! headers of the same language; XLSX dates as date cells.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{at, date, ok};
use spravka::service::exchange::{self, Format, Register};
use spravka::ui::i18n::{Lang, Tr};

const CODES: [&str; 12] = [
    "issue",
    "extend",
    "reissue",
    "duplicate",
    "registered",
    "documents_incomplete",
    "with_commission",
    "recommended",
    "issued",
    "refused",
    "withdrawn",
    "superseded",
];

#[test]
fn kinds_statuses_and_dates_are_words_and_dates() {
    let dir = ok(tempfile::tempdir());
    let mut store = ok(spravka::store::Store::open(&dir.path().join("demo.db")));
    ok(spravka::demo::generate(
        &mut store,
        400,
        2,
        date("2026-11-20"),
        |_| {},
    ));
    let now = at("2026-11-20 12:00");
    let officer = ok(spravka::service::setup::sign_in(
        &mut store,
        "officer",
        spravka::demo::DEMO_PASSWORD,
        now,
    ));
    for lang in [Lang::Ru, Lang::Kk] {
        let tr = Tr::new(lang);
        let kinds: Vec<&str> = [
            "kind.issue",
            "kind.extend",
            "kind.reissue",
            "kind.duplicate",
        ]
        .iter()
        .map(|k| tr.t(k))
        .collect();
        // CSV: the header and every kind and status in the language.
        let csv = dir.path().join(format!("apps-{}.csv", lang.code()));
        let n = ok(exchange::export(
            &mut store,
            &officer,
            now,
            Register::Applications,
            Format::Csv,
            &csv,
            &tr,
        ));
        assert_eq!(n, 400);
        let mut reader = ok(csv::Reader::from_path(&csv));
        let header = ok(reader.headers()).clone();
        assert_eq!(&header[1], tr.t("export.app.kind"));
        let mut seen_statuses = std::collections::BTreeSet::new();
        for record in reader.records() {
            let record = ok(record);
            assert!(kinds.contains(&&record[1]), "{lang:?}: kind {}", &record[1]);
            assert!(
                !CODES.contains(&&record[2]),
                "{lang:?}: status {}",
                &record[2]
            );
            // 23.11.2026 10:15, as the interface writes dates.
            assert!(
                chrono::NaiveDateTime::parse_from_str(&record[3], "%d.%m.%Y %H:%M").is_ok(),
                "{}",
                &record[3]
            );
            seen_statuses.insert(record[2].to_string());
        }
        assert!(
            seen_statuses.contains(tr.t("status.issued")),
            "{seen_statuses:?}"
        );
        assert!(
            seen_statuses.contains(tr.t("status.refused")),
            "{seen_statuses:?}"
        );
        // XLSX: certificate statuses in words, dates as date cells.
        let xlsx = dir.path().join(format!("certs-{}.xlsx", lang.code()));
        ok(exchange::export(
            &mut store,
            &officer,
            now,
            Register::Certificates,
            Format::Xlsx,
            &xlsx,
            &tr,
        ));
        let mut book: Xlsx<_> = ok(open_workbook(&xlsx));
        let sheet = book
            .worksheet_range_at(0)
            .and_then(Result::ok)
            .unwrap_or_default();
        assert_eq!(
            sheet.get((0, 4)),
            Some(&Data::String(tr.t("export.cert.status").into()))
        );
        let words = [
            tr.t("certificate.valid"),
            tr.t("certificate.expired"),
            tr.t("certificate.superseded"),
            tr.t("certificate.revoked"),
        ];
        let mut rows = 0;
        for row in sheet.rows().skip(1) {
            rows += 1;
            for (col, cell) in row.iter().enumerate().take(4).skip(1) {
                assert!(
                    matches!(cell, Data::DateTime(d) if d.is_datetime()),
                    "{lang:?}: column {col} is {cell:?}"
                );
            }
            let Data::String(status) = &row[4] else {
                panic!("status {:?}", row[4]);
            };
            assert!(words.contains(&status.as_str()), "{lang:?}: {status}");
        }
        assert!(rows > 50, "{rows} certificates");
    }
}
