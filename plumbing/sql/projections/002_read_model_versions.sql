-- Read models that keep every version of their rows (plumbing/read_model_versions.py).

-- Each row of such a table says since when it was known (known_from: when the event that
-- wrote it was recorded). A writer that applies many events in one statement names that
-- moment in every row; one that applies an event at a time sets it once for the event in
-- kommunplan.recorded_at instead, and this fills it in.
CREATE OR REPLACE FUNCTION read_model_known_from() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    moment text := current_setting('kommunplan.recorded_at', true);
BEGIN
    IF moment IS NULL OR moment = '' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.known_from IS NULL OR NEW.known_from = '-infinity' THEN
            NEW.known_from := moment::timestamptz;
        END IF;
    ELSIF NEW.known_from IS NOT DISTINCT FROM OLD.known_from THEN
        NEW.known_from := moment::timestamptz;
    END IF;
    RETURN NEW;
END
$$;

-- The row as it was before an update or a delete goes to <table>_versions: the trigger
-- function, read_model_keep_version, is made by 003_read_model_version_ranges.sql.
