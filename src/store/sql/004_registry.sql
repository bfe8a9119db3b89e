-- spravka schema, version 4: the registry's deadline order (open applications by their
-- deadline, closed ones last) read from an index, so that a window of the registry sorted by
-- deadline is a range of the index and not a sort of every application.
CREATE INDEX applications_deadline_order ON applications (coalesce(next_deadline, '9999-12-31'), id);
