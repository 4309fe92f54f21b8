-- Read models of the budget events, created inside each generation's schema.
CREATE TABLE units (
    code          text PRIMARY KEY,
    name          text    NOT NULL,
    kind          text    NOT NULL,
    parent_code   text,
    manager_title text,
    manager_name  text,
    closed_on     date,
    ord           bigint  NOT NULL
);
CREATE TABLE figures (
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    kind      text    NOT NULL,
    status    text    NOT NULL,
    revenue   numeric NOT NULL,
    costs     numeric NOT NULL,
    decision  text,
    PRIMARY KEY (unit_code, year, kind)
);
CREATE TABLE frame_changes (
    event_id  uuid PRIMARY KEY,
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    amount    numeric NOT NULL,
    reasons   text    NOT NULL,
    decision  text,
    ord       bigint  NOT NULL
);
CREATE TABLE net_investments (
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    kind      text    NOT NULL,
    amount    numeric NOT NULL,
    PRIMARY KEY (unit_code, year, kind)
);
CREATE TABLE narratives (
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    section   text    NOT NULL,
    text      text    NOT NULL,
    PRIMARY KEY (unit_code, year, section)
);
CREATE TABLE actuals (
    unit_code text    NOT NULL,
    period    text    NOT NULL,
    revenue   numeric NOT NULL,
    costs     numeric NOT NULL,
    PRIMARY KEY (unit_code, period)
);
CREATE TABLE forecasts (
    unit_code text    NOT NULL,
    period    text    NOT NULL,
    revenue   numeric NOT NULL,
    costs     numeric NOT NULL,
    PRIMARY KEY (unit_code, period)
);
