package meshgate.aws.settings;

import java.util.Objects;

/**
 * Where NHS England's Terraform MESH module (terraform-aws-mesh-client) keeps a deployment's settings: under
 * {@code /{name_prefix}-mesh/mesh/} (the module names everything {@code {name_prefix}-mesh}), the same names in SSM
 * Parameter Store and, for the secrets when {@code use_secrets_manager} is set, in Secrets Manager.
 */
record MeshModuleLayout(String namePrefix) {
    MeshModuleLayout {
        Objects.requireNonNull(namePrefix, "namePrefix");
    }

    /** {@code /{name_prefix}-mesh/mesh}, without a trailing slash. */
    String root() {
        return "/" + namePrefix + "-mesh/mesh";
    }

    String meshUrl() {
        return root() + "/MESH_URL";
    }

    String sharedKey() {
        return root() + "/MESH_SHARED_KEY";
    }

    String caCert() {
        return root() + "/MESH_CA_CERT";
    }

    String clientCert() {
        return root() + "/MESH_CLIENT_CERT";
    }

    String clientKey() {
        return root() + "/MESH_CLIENT_KEY";
    }

    String mailboxPassword(String mailboxId) {
        return root() + "/mailboxes/" + mailboxId + "/MAILBOX_PASSWORD";
    }

    /**
     * The outbound mappings of one bucket: under it, {@code {folder}/src_mailbox}, {@code dest_mailbox} and
     * {@code workflow_id} for objects put in {@code {folder}/}. With a trailing slash.
     */
    String mappings(String bucket) {
        return root() + "/mapping/" + bucket + "/";
    }
}
