package meshgate.dps.export;

import java.util.Optional;

/**
 * What an export run did for one programme: sent a file, found nothing to send, failed to send (the records then
 * stay unsent and go in the next run's file), or could not tell whether MESH took the file (the export stays pending
 * and the next run settles it by local id; its records are not sent again meanwhile).
 */
public record ProgrammeExport(String programme, Outcome outcome, Optional<DpsExport> export, Optional<String> reason) {
    public enum Outcome { SENT, NOTHING_TO_SEND, FAILED, PENDING }

    /** One line for a person: {@code DPS export (7) for programme (HPV) sent: 202 - {"message_id":"..."}}. */
    public String describe() {
        return switch (outcome) {
            case SENT -> "DPS export (" + export.orElseThrow().id() + ") for programme (" + programme + ") sent: 202 - "
                    + "{\"message_id\":\"" + export.orElseThrow().meshMessageId().orElse("") + "\"}";
            case NOTHING_TO_SEND -> "No vaccination records to export for programme (" + programme + ")";
            case FAILED -> "DPS export (" + export.map(e -> Long.toString(e.id())).orElse("-") + ") for programme ("
                    + programme + ") send failed: " + reason.orElse("");
            case PENDING -> "DPS export (" + export.orElseThrow().id() + ") for programme (" + programme + ") send "
                    + "outcome unknown, left pending for the next run to settle: " + reason.orElse("");
        };
    }
}
