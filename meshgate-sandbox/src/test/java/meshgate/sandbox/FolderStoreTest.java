package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderStoreTest {

    @Test
    void restartedSandboxServesMessagesFromItsFolder(@TempDir Path folder) throws Exception {
        String id;
        try (MeshSandbox first = MeshSandbox.builder().store(folder).start()) {
            MeshTestClient client = new MeshTestClient(first.baseUrl());
            id = MeshTestClient.messageId(client.sendMessage("X26ABC1", "X26ABC2", "TEST_WORKFLOW",
                    "kept".getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        try (MeshSandbox second = MeshSandbox.builder().store(folder).start()) {
            MeshTestClient client = new MeshTestClient(second.baseUrl());

            HttpResponse<String> inbox = client.get("X26ABC2", "/messageexchange/X26ABC2/inbox");
            HttpResponse<String> download = client.get("X26ABC2", "/messageexchange/X26ABC2/inbox/" + id);

            assertThat(new ObjectMapper().readTree(inbox.body()).path("messages").get(0).asText()).isEqualTo(id);
            assertThat(download.body()).isEqualTo("kept");
        }
    }

    @Test
    void configFileReplacesMailboxesWorkflowsAndSharedKey(@TempDir Path folder) throws Exception {
        Path config = folder.resolve("sandbox.json");
        Files.writeString(config, """
                {"shared_key": "TestKey",
                 "mailboxes": [{"mailbox_id": "abc001", "mailbox_name": "ONE", "ods_code": "A1", "password": "password"},
                               {"mailbox_id": "ABC002", "mailbox_name": "TWO", "ods_code": "A1", "password": "password"}],
                 "workflows": [{"workflow_id": "WF", "senders": ["ABC001"], "receivers": ["ABC002"]}]}
                """);
        try (MeshSandbox sandbox = MeshSandbox.builder().config(config).start()) {
            MeshTestClient client = new MeshTestClient(sandbox.baseUrl());

            assertThat(client.handshake("ABC001").statusCode()).isEqualTo(200);
            assertThat(client.handshake("X26ABC1").statusCode()).isEqualTo(403);
            assertThat(client.get(null, "/messageexchange/endpointlookup/A1/WF").body()).contains("ABC002");
        }
    }
}
