-- Commands refused over HTTP are noted as well. They have no inbound sequence and no
-- rejection subject (the caller reads the refusal in the answer), so a refusal has a number
-- of its own; the inbound sequence stays unique where there is one, so that a batch handled
-- again still notes its refusals once.
ALTER TABLE refusals ADD COLUMN id bigserial;
ALTER TABLE refusals DROP CONSTRAINT refusals_pkey;
ALTER TABLE refusals ADD PRIMARY KEY (id);
ALTER TABLE refusals ALTER COLUMN sequence DROP NOT NULL;
ALTER TABLE refusals ALTER COLUMN rejection_subject DROP NOT NULL;
CREATE UNIQUE INDEX refusals_sequence ON refusals (sequence);
