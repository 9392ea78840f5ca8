-- Each claim on an outbound record gets the next generation; a write names the claim it is made under, and one
-- made under an earlier claim is refused, so a node whose lease ran out cannot overwrite the new owner's progress.
ALTER TABLE outbound_message ADD COLUMN lease_generation BIGINT NOT NULL DEFAULT 0;
