-- Which generation of each projection's read models the views read. A rebuild fills a
-- new generation beside the live one and switches this pointer in one statement.
CREATE TABLE IF NOT EXISTS projection_active (
    projection text PRIMARY KEY,
    generation integer NOT NULL
);
CREATE TABLE IF NOT EXISTS projection_generations (
    projection text    NOT NULL,
    generation integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, generation)
);
