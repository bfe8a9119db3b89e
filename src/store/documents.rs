//! Documents of the A2.8 checklist and their scans (`documents`, `document_files`, `files`).

use super::rows::unknown;
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
    let conn = tx.sqlite();
    let mut stmt = conn.prepare(
        "SELECT id, doc_type, received FROM documents WHERE application_id = ?1 ORDER BY id",
    )?;
    let docs = stmt
        .query_map([application_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut files_stmt = conn.prepare(
        "SELECT df.id, df.file_name, df.sha256, f.size, f.mime, df.attached_at FROM document_files df JOIN files f ON f.sha256 = df.sha256
         WHERE df.document_id = ?1 AND df.removed_at IS NULL ORDER BY df.id",
    )?;
    let mut out = Vec::new();
    for (id, code, received) in docs {
        let doc_type =
            DocumentType::from_code(&code).ok_or_else(|| unknown("document type", &code))?;
        let files = files_stmt
            .query_map([id], |r| {
                Ok(FileRow {
                    id: r.get(0)?,
                    file_name: r.get(1)?,
                    sha256: r.get(2)?,
                    size: r.get(3)?,
                    mime: r.get(4)?,
                    attached_at: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(DocumentRow {
            id,
            doc_type,
            received,
            files,
        });
    }
    Ok(out)
}
