//! Documents of the A2.8 checklist and their scans: the checklist items (`documents`), the
//! scans content-addressed by SHA-256 (`files`) and the links between them (`document_files`).

use super::db::args;
use chrono::NaiveDateTime;

use super::rows::{fmt_time, unknown};
use super::{StoreError, Tx};
use crate::domain::documents::DocumentType;

/// A stored scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    pub mime: String,
    pub attached_at: String,
}

/// An item of the checklist with its scans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: i64,
    pub doc_type: DocumentType,
    pub received: bool,
    pub files: Vec<FileRow>,
}

/// The checklist of an application with the scans attached to each item.
pub fn for_application(tx: &Tx<'_>, application_id: i64) -> Result<Vec<DocumentRow>, StoreError> {
    let docs = tx.query_map(
        "SELECT id, doc_type, received FROM documents WHERE application_id = ?1 ORDER BY id",
        args![application_id],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<bool>(2)?)),
    )?;
    let mut out = Vec::new();
    for (id, code, received) in docs {
        let doc_type =
            DocumentType::from_code(&code).ok_or_else(|| unknown("document type", &code))?;
        let files = tx.query_map("SELECT df.id, df.file_name, df.sha256, f.size, f.mime, df.attached_at FROM document_files df JOIN files f ON f.sha256 = df.sha256
         WHERE df.document_id = ?1 AND df.removed_at IS NULL ORDER BY df.id", args![id], |r| {
                Ok(FileRow {
                    id: r.get(0)?,
                    file_name: r.get(1)?,
                    sha256: r.get(2)?,
                    size: r.get(3)?,
                    mime: r.get(4)?,
                    attached_at: r.get(5)?,
                })
            })?;
        out.push(DocumentRow {
            id,
            doc_type,
            received,
            files,
        });
    }
    Ok(out)
}

/// Adds an item to an application's checklist.
pub fn add_item(
    tx: &Tx<'_>,
    application_id: i64,
    doc_type: DocumentType,
    received: bool,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO documents (application_id, doc_type, received) VALUES (?1, ?2, ?3)",
        args![application_id, doc_type.code(), received],
    )?;
    Ok(())
}

/// Marks a checklist item received or missing; `false` if the item is not on the checklist.
pub fn set_received(
    tx: &Tx<'_>,
    application_id: i64,
    doc_type: DocumentType,
    received: bool,
) -> Result<bool, StoreError> {
    let changed = tx.execute(
        "UPDATE documents SET received = ?3 WHERE application_id = ?1 AND doc_type = ?2",
        args![application_id, doc_type.code(), received],
    )?;
    Ok(changed > 0)
}

/// How many items of an application's checklist are not received.
pub fn missing_count(tx: &Tx<'_>, application_id: i64) -> Result<usize, StoreError> {
    let missing: i64 = tx.query_row(
        "SELECT count(*) FROM documents WHERE application_id = ?1 AND received = 0",
        args![application_id],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(missing).unwrap_or_default())
}

/// The id of an application's checklist item, if the checklist has it.
pub fn item_id(
    tx: &Tx<'_>,
    application_id: i64,
    doc_type: DocumentType,
) -> Result<Option<i64>, StoreError> {
    tx.query_opt(
        "SELECT id FROM documents WHERE application_id = ?1 AND doc_type = ?2",
        args![application_id, doc_type.code()],
        |r| r.get(0),
    )
}

/// Stores a file's content under its SHA-256 (kept once, however often it is attached).
pub fn store_file(tx: &Tx<'_>, sha256: &str, mime: &str, bytes: &[u8]) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO files (sha256, size, mime, content) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (sha256) DO NOTHING",
        args![sha256, bytes.len() as i64, mime, bytes],
    )?;
    Ok(())
}

/// Links a stored file to a checklist item under the name it was attached with; returns the
/// link's id.
pub fn attach_file(
    tx: &Tx<'_>,
    document_id: i64,
    sha256: &str,
    file_name: &str,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let id = tx.query_row(
        "INSERT INTO document_files (document_id, sha256, file_name, attached_by, attached_at) VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id",
        args![document_id, sha256, file_name, user_id, fmt_time(now)],
        |r| r.get(0),
    )?;
    Ok(id)
}

/// Marks a link of a file to one of the application's items removed (the file stays);
/// [`StoreError::NotFound`] if the application has no such link still attached.
pub fn remove_file(
    tx: &Tx<'_>,
    application_id: i64,
    document_file_id: i64,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE document_files SET removed_by = ?3, removed_at = ?4
         WHERE id = ?2 AND removed_at IS NULL AND document_id IN (SELECT id FROM documents WHERE application_id = ?1)",
        args![application_id, document_file_id, user_id, fmt_time(now)],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "attached file",
            id: document_file_id.to_string(),
        });
    }
    Ok(())
}

/// The bytes of a file attached (now or before) to one of the application's items;
/// [`StoreError::NotFound`] if the application has no such file.
pub fn file_content(tx: &Tx<'_>, application_id: i64, sha256: &str) -> Result<Vec<u8>, StoreError> {
    tx.query_opt(
            "SELECT f.content FROM files f JOIN document_files df ON df.sha256 = f.sha256 JOIN documents d ON d.id = df.document_id
             WHERE d.application_id = ?1 AND f.sha256 = ?2 LIMIT 1",
            args![application_id, sha256],
            |r| r.get(0),
        )?
        .ok_or_else(|| StoreError::NotFound {
            what: "file",
            id: sha256.into(),
        })
}
