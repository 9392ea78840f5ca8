package meshgate.dps.record;

/** A record left out of an export, and why; {@code id} is {@code (no id)} when the record has none. */
public record InvalidRecord(String id, String programme, String reason) {
}
