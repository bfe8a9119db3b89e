//! The verification page the body publishes on its own website (issue 19): anyone checks a
//! certificate with a phone's camera, with no server of ours.
//!
//! Who signs what. The administrator publishes, but holds no signing key; a signatory does. So
//! the list the page trusts — the body's public keys and the certificates revoked or superseded
//! — is signed by a signatory's key at each of their sign-ins (the moment the key is open, as for
//! the audit anchor), kept in the database as the exact signed bytes, and the administrator's
//! «publish» writes the newest signed list beside the page. The page refuses a list whose
//! signature does not hold, or whose signer is not among its keys. The administrator sees how
//! old the signed list is and how many changes it does not carry yet (a revocation recorded
//! since the signatory's last sign-in).
//!
//! The folder written: `index.html` (the page, styles inline), `verify.js` (its script),
//! `noble-ed25519.js` with `noble-ed25519.LICENSE` (the fallback where the browser has no
//! WebCrypto Ed25519), `sw.js` (keeps the page for offline use on https), `data.js` (the signed
//! list for the page), and `list.json` / `list.sig` (the same signed bytes and signature, for
//! anyone who checks with other tools).

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDateTime, Timelike};
use ed25519_dalek::Signer;
use serde::Serialize;

use super::keys::SessionKey;
use super::{Result, RuleError, Session, audit};
use crate::domain::roles::Action;
use crate::domain::verifier::{
    LIST_FORMAT, ListKey, VerifierList, Withdrawn, WithdrawnStatus, page_url,
};
use crate::store::verifier::{self as stored, Publication};
use crate::store::{Store, Tx, body, keys};

/// The page's files, shipped in the program (`assets/verifier/`).
const INDEX_HTML: &str = include_str!("../../assets/verifier/index.html");
const VERIFY_JS: &str = include_str!("../../assets/verifier/verify.js");
const SERVICE_WORKER_JS: &str = include_str!("../../assets/verifier/sw.js");
/// noble-ed25519 3.1.0 (Paul Miller, MIT), unchanged from the npm package `@noble/ed25519`.
const NOBLE_JS: &str = include_str!("../../assets/verifier/noble-ed25519.js");
const NOBLE_LICENSE: &str = include_str!("../../assets/verifier/noble-ed25519.LICENSE");

/// The list as it stands now, to be signed by the key named `signed_by`.
fn current_list(tx: &Tx<'_>, signed_by: &str, now: NaiveDateTime) -> Result<VerifierList> {
    let body = body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?;
    let mut list_keys: Vec<ListKey> = keys::public_keys(tx)?
        .into_iter()
        .map(|k| ListKey {
            fingerprint: super::keys::fingerprint(&k.public),
            public: crate::store::to_hex(&k.public),
            holder: (!k.holder.is_empty()).then_some(k.holder),
            from: k.created_at.date(),
            until: k.retired_at.map(|at| at.date()),
        })
        .collect();
    list_keys.reverse();
    let withdrawn = stored::withdrawn(tx)?
        .into_iter()
        .map(|w| Withdrawn {
            number: w.number,
            status: if w.revoked {
                WithdrawnStatus::Revoked
            } else {
                WithdrawnStatus::Superseded
            },
            date: w.date,
            by: w.superseded_by,
            act: w.act.map(|a| {
                format!(
                    "{}, акт № {} от {}",
                    a.body,
                    a.number,
                    a.date.format("%d.%m.%Y")
                )
            }),
        })
        .collect();
    Ok(VerifierList {
        format: LIST_FORMAT.into(),
        body_ru: body.name_ru,
        body_kk: body.name_kk,
        // To the second: the page shows the minute.
        as_of: now.with_nanosecond(0).unwrap_or(now),
        signed_by: signed_by.into(),
        keys: list_keys,
        withdrawn,
    })
}

/// At a signatory's sign-in, with their key open: signs the list as it stands and keeps it for
/// the administrator to publish.
pub(crate) fn sign_list(
    tx: &Tx<'_>,
    session: &Session,
    key: &SessionKey,
    now: NaiveDateTime,
) -> Result<()> {
    if body::load(tx)?.is_none() {
        return Ok(());
    }
    let list = current_list(tx, &key.fingerprint, now)?;
    let content = list.canonical();
    let signature = key.key.sign(content.as_bytes()).to_bytes();
    stored::save_list(tx, &content, &signature, key.id, now)?;
    audit(
        tx,
        session,
        now,
        "sign_verifier_list",
        &format!("signing_key:{}", key.id),
        &format!(
            "{} keys, {} certificates revoked or superseded",
            list.keys.len(),
            list.withdrawn.len()
        ),
    )
}

/// The signed list the administrator would publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListInfo {
    pub signed_at: NaiveDateTime,
    /// The signatory whose key signed it, and the key's fingerprint.
    pub signed_by: String,
    pub key: String,
    pub keys: usize,
    pub withdrawn: usize,
    /// Keys and certificates that changed since it was signed: they reach the page after a
    /// signatory's next sign-in.
    pub changes_since: usize,
}

/// The page's state for the administrator's screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierStatus {
    /// `https://…/`, once the address is set.
    pub page: Option<String>,
    pub list: Option<ListInfo>,
    pub last_published: Option<Publication>,
}

fn list_info(tx: &Tx<'_>, now: NaiveDateTime) -> Result<Option<(stored::SignedList, ListInfo)>> {
    let Some(signed) = stored::list(tx)? else {
        return Ok(None);
    };
    let parsed: VerifierList = serde_json::from_str(&signed.content)
        .map_err(|e| RuleError::Invalid(format!("the stored verification list: {e}")))?;
    let current = current_list(tx, &parsed.signed_by, now)?;
    let info = ListInfo {
        signed_at: signed.signed_at,
        signed_by: signed.holder.clone(),
        key: super::keys::fingerprint(&signed.public),
        keys: parsed.keys.len(),
        withdrawn: parsed.withdrawn.len(),
        changes_since: current.changes_since(&parsed),
    };
    Ok(Some((signed, info)))
}

/// Where the page stands: its address, the signed list and the last publication
/// (administrator).
pub fn status(store: &Store, session: &Session, now: NaiveDateTime) -> Result<VerifierStatus> {
    session.require(Action::ManageBody)?;
    store.read(|tx| {
        let page = body::load(tx)?
            .and_then(|b| b.verify_address)
            .map(|a| page_url(&a));
        Ok(VerifierStatus {
            page,
            list: list_info(tx, now)?.map(|(_, info)| info),
            last_published: stored::last_publication(tx)?,
        })
    })
}

/// What a publication wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub folder: PathBuf,
    pub files: Vec<String>,
    pub list: ListInfo,
    pub page: Option<String>,
}

/// What `data.js` gives the page: the signed text exactly, and its signature.
#[derive(Serialize)]
struct PageData<'a> {
    list: &'a str,
    signature: &'a str,
}

/// Writes the page and the newest signed list into `folder` (created if missing), for the
/// administrator to copy to the body's website; records the publication (administrator).
pub fn publish(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    folder: &Path,
) -> Result<Published> {
    session.require(Action::ManageBody)?;
    let (signed, info, page) = store.read(|tx| -> Result<_> {
        let Some((signed, info)) = list_info(tx, now)? else {
            return Err(RuleError::NoVerifierList.into());
        };
        let page = body::load(tx)?
            .and_then(|b| b.verify_address)
            .map(|a| page_url(&a));
        Ok((signed, info, page))
    })?;
    let signature = URL_SAFE_NO_PAD.encode(&signed.signature);
    let data = serde_json::to_string(&PageData {
        list: &signed.content,
        signature: &signature,
    })
    .map_err(|e| RuleError::Invalid(e.to_string()))?;
    // The version in the script addresses makes a browser fetch the new list after a
    // publication instead of a cached one.
    let version = signed.signed_at.format("%Y%m%d%H%M%S").to_string();
    let files: [(&str, String); 8] = [
        ("index.html", INDEX_HTML.replace("{{VERSION}}", &version)),
        ("verify.js", VERIFY_JS.to_string()),
        ("sw.js", SERVICE_WORKER_JS.to_string()),
        ("noble-ed25519.js", NOBLE_JS.to_string()),
        ("noble-ed25519.LICENSE", NOBLE_LICENSE.to_string()),
        ("data.js", format!("window.SPRAVKA_DATA = {data};\n")),
        ("list.json", signed.content.clone()),
        ("list.sig", format!("{signature}\n")),
    ];
    let io = |e: std::io::Error| RuleError::Invalid(format!("{}: {e}", folder.display()));
    std::fs::create_dir_all(folder).map_err(io)?;
    for (name, content) in &files {
        std::fs::write(folder.join(name), content).map_err(io)?;
    }
    let shown = folder.display().to_string();
    store.write(|tx| {
        stored::record_publication(
            tx,
            now,
            session.user_id,
            &shown,
            info.signed_at,
            info.withdrawn,
        )?;
        audit(
            tx,
            session,
            now,
            "publish_verifier",
            "verifier",
            &format!(
                "list of {} signed by key {}: {} certificates revoked or superseded, into {shown}",
                info.signed_at, info.key, info.withdrawn
            ),
        )
    })?;
    Ok(Published {
        folder: folder.to_path_buf(),
        files: files.iter().map(|(name, _)| (*name).to_string()).collect(),
        list: info,
        page,
    })
}
