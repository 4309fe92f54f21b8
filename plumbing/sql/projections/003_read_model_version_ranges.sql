-- The row as it was before an update or a delete goes to <table>_versions, known until the
-- moment the change was recorded. By column name (through jsonb, which keeps numeric and
-- timestamps exact), so a column added to the table later cannot shift the others.
--
-- A version is known over [known_from, known_until): never a range that ends before it
-- begins, even where a replacing event was recorded a moment before the row it replaces
-- (two transactions committing out of their start order); such a version was never seen.
-- (A database migrated before this file came has the function without this rule, from
-- 002_read_model_versions.sql; here it is replaced.)
CREATE OR REPLACE FUNCTION read_model_keep_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    until timestamptz;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        until := NEW.known_from;
    ELSE
        until := current_setting('kommunplan.recorded_at')::timestamptz;
    END IF;
    until := greatest(until, OLD.known_from);
    EXECUTE format(
        'INSERT INTO %1$I.%2$I SELECT * FROM jsonb_populate_record(NULL::%1$I.%2$I, $1)',
        TG_TABLE_SCHEMA,
        TG_TABLE_NAME || '_versions'
    ) USING to_jsonb(OLD) || jsonb_build_object('known_until', until);
    RETURN NULL;
END
$$;
