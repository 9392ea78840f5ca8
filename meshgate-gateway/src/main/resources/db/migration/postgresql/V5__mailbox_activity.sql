-- What the gateway last saw of each mailbox (its handshake, its inbox at the last poll), for 'meshgate status'.
CREATE TABLE mailbox_activity (
    mailbox VARCHAR(255) NOT NULL PRIMARY KEY,
    handshake_at TIMESTAMP(3) WITH TIME ZONE,
    handshake_failure TEXT,
    polled_at TIMESTAMP(3) WITH TIME ZONE,
    inbox_count INT NOT NULL,
    poll_failure TEXT,
    poll_failed_at TIMESTAMP(3) WITH TIME ZONE
);
