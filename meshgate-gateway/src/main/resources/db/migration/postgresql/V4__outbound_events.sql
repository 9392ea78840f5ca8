-- The state whose event (message sent, delivery status changed) went out last; an event is owed while the record's
-- state is ahead of it. Written only by the event outbox, never by a record update.
ALTER TABLE outbound_message ADD COLUMN event_state VARCHAR(32);
-- Messages sent before these events existed are not announced now, long after.
UPDATE outbound_message SET event_state = state WHERE state IN ('ACCEPTED', 'ACKNOWLEDGED', 'UNDELIVERABLE', 'EXPIRED');
-- Finds the few records with an event owed among the many announced.
CREATE INDEX outbound_message_event_owed ON outbound_message (id)
    WHERE mesh_message_id IS NOT NULL AND (event_state IS NULL OR event_state <> state);
