//! The static verification page (issue 19): the link a certificate's QR code carries, and the
//! signed list the page checks a code's status against. Pure: no store, no clock, no keys.
//!
//! The link is `https://<address>/#<payload>`: the payload (`S2|key|number|…|signature`, exactly
//! the text `service::printing` signs) travels in the URL's fragment, which a browser never sends
//! to the web server, percent-encoded so that the link is plain ASCII that every camera app
//! accepts (`|` and the Cyrillic initials are not allowed raw in a fragment by RFC 3986).

use chrono::{NaiveDate, NaiveDateTime};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Serialize};

/// What is percent-encoded in the fragment: everything RFC 3986 does not allow there (besides
/// non-ASCII, which is always encoded).
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Why a verification address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AddressProblem {
    #[error("the page must be served over https")]
    NotHttps,
    #[error("an address has no spaces, '#', '?' or control characters")]
    BadCharacter,
    #[error("the address names no site")]
    NoHost,
}

/// The verification address as stored: without `https://` and the trailing `/`; `None` for an
/// empty field (the QR code then keeps the bare payload).
pub fn normalise_address(text: &str) -> Result<Option<String>, AddressProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let lower = text.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &text["https://".len()..]
    } else if lower.contains("://") {
        return Err(AddressProblem::NotHttps);
    } else {
        text
    };
    if rest
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '#' | '?' | '\\'))
    {
        return Err(AddressProblem::BadCharacter);
    }
    let rest = rest.trim_end_matches('/');
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.starts_with('.') || host.ends_with('.') {
        return Err(AddressProblem::NoHost);
    }
    Ok(Some(rest.to_string()))
}

/// The page's address as people type it: `https://akimat.kz/spravka/`.
pub fn page_url(address: &str) -> String {
    format!("https://{address}/")
}

/// What a certificate's QR code holds: the link to the page with the payload in its fragment,
/// or the bare payload while no address is set.
pub fn qr_text(address: Option<&str>, payload: &str) -> String {
    match address {
        Some(address) => format!(
            "{}#{}",
            page_url(address),
            utf8_percent_encode(payload, FRAGMENT)
        ),
        None => payload.to_string(),
    }
}

/// The payload in what a scanner read: the fragment of a link (decoded), or the text itself.
pub fn payload_from_scan(text: &str) -> String {
    let text = text.trim();
    let lower = text.get(..8).unwrap_or_default().to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && let Some((_, fragment)) = text.split_once('#')
    {
        return percent_decode_str(fragment)
            .decode_utf8_lossy()
            .trim()
            .to_string();
    }
    text.to_string()
}

/// The format the page understands; a page refuses a list of another format.
pub const LIST_FORMAT: &str = "spravka-verifier-list/1";

/// The list the page checks statuses against: the body's keys and the certificates that are no
/// longer valid for a reason the code cannot show (revoked, superseded). Numbers only: no names
/// of holders, no personal data. Serialised compactly in this field order, its UTF-8 bytes are
/// what the signatory's key signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifierList {
    pub format: String,
    pub body_ru: String,
    pub body_kk: String,
    /// When the list was signed: the statuses are as of this moment.
    pub as_of: NaiveDateTime,
    /// The fingerprint of the key that signed the list (one of `keys`).
    pub signed_by: String,
    pub keys: Vec<ListKey>,
    pub withdrawn: Vec<Withdrawn>,
}

/// A public key that verifies codes, and when it was in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListKey {
    /// The first 16 hex digits of the SHA-256 of `public`.
    pub fingerprint: String,
    /// The 32-byte ed25519 public key, in hex.
    pub public: String,
    /// The signatory's full name; `None` for the body's key of the versions before 12.
    pub holder: Option<String>,
    pub from: NaiveDate,
    /// Retired on this day: it signs nothing after it (what it signed still verifies).
    pub until: Option<NaiveDate>,
}

/// A certificate that is no longer valid for a reason its code cannot show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawn {
    pub number: String,
    pub status: WithdrawnStatus,
    /// The day it was revoked or reissued.
    pub date: NaiveDate,
    /// Superseded: the number of the certificate that replaced it (R§22).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub by: Option<String>,
    /// Revoked: the control body's act (R§21), «Инспекция труда, акт № 5 от 01.05.2026».
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub act: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawnStatus {
    Revoked,
    Superseded,
}

impl VerifierList {
    /// The exact text that is signed and published.
    pub fn canonical(&self) -> String {
        // A struct of strings, dates and options: serialising it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// How many keys and certificates differ between two lists (the date aside): what a list
    /// signed earlier does not say yet.
    pub fn changes_since(&self, earlier: &Self) -> usize {
        fn differ<T: PartialEq>(a: &[T], b: &[T]) -> usize {
            a.iter().filter(|x| !b.contains(x)).count()
                + b.iter().filter(|x| !a.contains(x)).count()
        }
        fn sorted(list: &VerifierList) -> Vec<&Withdrawn> {
            let mut numbers: Vec<&Withdrawn> = list.withdrawn.iter().collect();
            numbers.sort_by(|a, b| a.number.cmp(&b.number));
            numbers
        }
        let (now, then) = (sorted(self), sorted(earlier));
        let mut changed = 0;
        let (mut i, mut j) = (0, 0);
        while i < now.len() || j < then.len() {
            match (now.get(i), then.get(j)) {
                (Some(a), Some(b)) if a.number == b.number => {
                    changed += usize::from(a != b);
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.number < b.number => {
                    changed += 1;
                    i += 1;
                }
                (Some(_), None) => {
                    changed += 1;
                    i += 1;
                }
                _ => {
                    changed += 1;
                    j += 1;
                }
            }
        }
        changed + differ(&self.keys, &earlier.keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_stored_without_scheme_and_slash_and_must_be_https() {
        assert_eq!(
            normalise_address(" https://Akimat.kz/spravka/ "),
            Ok(Some("Akimat.kz/spravka".into()))
        );
        assert_eq!(normalise_address("akimat.kz"), Ok(Some("akimat.kz".into())));
        assert_eq!(normalise_address("  "), Ok(None));
        assert_eq!(
            normalise_address("http://akimat.kz"),
            Err(AddressProblem::NotHttps)
        );
        assert_eq!(
            normalise_address("akimat.kz/a b"),
            Err(AddressProblem::BadCharacter)
        );
        assert_eq!(
            normalise_address("akimat.kz/#x"),
            Err(AddressProblem::BadCharacter)
        );
        assert_eq!(normalise_address("https:///x"), Err(AddressProblem::NoHost));
    }

    #[test]
    fn the_link_carries_the_payload_in_its_fragment_and_a_scan_gives_it_back() {
        let payload = "S2|0123456789abcdef|00012/2026|Қ.А.|2026-11-25|2026-11-25|2027-02-24|AbC-_9";
        let link = qr_text(Some("akimat.kz/spravka"), payload);
        assert!(link.starts_with(
            "https://akimat.kz/spravka/#S2%7C0123456789abcdef%7C00012/2026%7C%D2%9A.%D0%90.%7C"
        ));
        assert!(link.is_ascii(), "{link}");
        assert!(!link.contains('|'));
        assert_eq!(payload_from_scan(&link), payload);
        // A browser may leave `|` raw; the bare payload (no address set) passes through.
        assert_eq!(
            payload_from_scan("https://akimat.kz/#S2|x|%D2%9A."),
            "S2|x|Қ."
        );
        assert_eq!(qr_text(None, payload), payload);
        assert_eq!(payload_from_scan(payload), payload);
    }

    #[test]
    fn the_changes_since_a_list_count_numbers_and_keys() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let entry = |number: &str, status| Withdrawn {
            number: number.into(),
            status,
            date: day,
            by: None,
            act: None,
        };
        let list = |withdrawn: Vec<Withdrawn>| VerifierList {
            format: LIST_FORMAT.into(),
            body_ru: "Орган".into(),
            body_kk: "Орган".into(),
            as_of: day.and_hms_opt(9, 0, 0).unwrap_or_default(),
            signed_by: "ab".into(),
            keys: Vec::new(),
            withdrawn,
        };
        let before = list(vec![entry("00001/2026", WithdrawnStatus::Revoked)]);
        let after = list(vec![
            entry("00001/2026", WithdrawnStatus::Revoked),
            entry("00002/2026", WithdrawnStatus::Superseded),
        ]);
        assert_eq!(after.changes_since(&before), 1);
        assert_eq!(before.changes_since(&before), 0);
        // The canonical text keeps the field order the page reads, with no spaces.
        assert!(
            before
                .canonical()
                .starts_with("{\"format\":\"spravka-verifier-list/1\",\"body_ru\":\"Орган\"")
        );
        assert!(
            before
                .canonical()
                .contains("\"withdrawn\":[{\"number\":\"00001/2026\",\"status\":\"revoked\",\"date\":\"2026-11-25\"}]")
        );
    }
}
