package meshgate.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A mailbox the sandbox knows: its id (upper case), display name, ODS code, and password. */
public record SandboxMailbox(String id, String name, String odsCode, String password) {
    public SandboxMailbox {
        id = Objects.requireNonNull(id, "id").trim().toUpperCase(Locale.ROOT);
        name = name == null ? id : name;
        odsCode = odsCode == null ? "" : odsCode.trim().toUpperCase(Locale.ROOT);
        Objects.requireNonNull(password, "password");
    }

    /** The mailboxes of the public MESH sandbox: X26ABC1, X26ABC2 (ODS X26) and X26ABC3 (ODS X27). */
    public static List<SandboxMailbox> defaults() {
        return List.of(
                new SandboxMailbox("X26ABC1", "TESTMB1", "X26", "password"),
                new SandboxMailbox("X26ABC2", "TESTMB2", "X26", "password"),
                new SandboxMailbox("X26ABC3", "TESTMB3", "X27", "password"));
    }

    /** The CN of a MESH client certificate for this mailbox: {@code X26ABC1.X26.api.mesh-client.nhs.uk}. */
    public String clientCertificateCommonName() {
        return id + "." + odsCode + ".api.mesh-client.nhs.uk";
    }
}
