-- spravka schema, version 9: the valid certificates of a period (a batch print) found by the
-- date of issue, not by scanning every certificate (80–100 ms at 10^6 applications).
CREATE INDEX certificates_valid_issued ON certificates (issued_on)
    WHERE duplicate_of IS NULL AND status = 'valid';
