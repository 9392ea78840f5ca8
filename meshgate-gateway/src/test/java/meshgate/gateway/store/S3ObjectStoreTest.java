package meshgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import meshgate.client.MessageContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The object store contract on a real S3 server (S3Proxy), each test in a bucket of its own, and what only S3 has:
 * metadata as URL-encoded headers, content type and encoding as object headers, pages, multipart writes and copies.
 */
class S3ObjectStoreTest extends ObjectStoreContractTest {
    private static final int MIB = 1024 * 1024;
    private static final int PART = 5 * MIB;

    static S3TestServer server;

    String bucket;
    S3Client s3;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    S3ObjectStore openStore() {
        bucket = server.createBucket();
        s3 = server.client();
        return server.storeBuilder(bucket).partSize(PART).build();
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }

    @Override
    void leaveInternalFiles() {
        for (String internal : List.of("outbound/.a.csv.1234.upload", "outbound/.hidden", "outbound/.cache/inside.csv",
                "outbound/a.csv.meta.json", "outbound/empty/", ".meshgate/state")) {
            s3.putObject(b -> b.bucket(bucket).key(internal), RequestBody.fromString(""));
        }
    }

    @Override
    List<String> storedFiles() {
        return allKeys();
    }

    @Test
    void roundTripsContentAndMetadataWithNonAsciiValues() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("mex-to", "X26ABC2");
        metadata.put("mex-subject", "my super subject $£%");
        metadata.put("Mex-LocalID", "ünïcødé ✓");

        try (ObjectWriter writer = store.create("inbound/X26ABC1/20240101-abc.dat", metadata)) {
            writer.stream().write("hello, mesh".getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }

        assertThat(text("inbound/X26ABC1/20240101-abc.dat")).isEqualTo("hello, mesh");
        Map<String, String> stored = store.metadata("inbound/X26ABC1/20240101-abc.dat");
        assertThat(stored).containsOnly(
                Map.entry("mex-to", "X26ABC2"),
                Map.entry("mex-subject", "my+super+subject+%24%C2%A3%25"),
                Map.entry("mex-localid", "%C3%BCn%C3%AFc%C3%B8d%C3%A9+%E2%9C%93"));
        assertThat(decoded(stored)).containsOnly(
                Map.entry("mex-to", "X26ABC2"),
                Map.entry("mex-subject", "my super subject $£%"),
                Map.entry("mex-localid", "ünïcødé ✓"));
        ObjectInfo info = store.stat("inbound/X26ABC1/20240101-abc.dat").orElseThrow();
        assertThat(info.size()).isEqualTo(11);
        assertThat(info.name()).isEqualTo("20240101-abc.dat");
        assertThat(info.lastModified()).isNotNull();
    }

    @Test
    void keepsEveryHeaderWhenMetadataPassesS3sTwoKilobyteLimit() throws IOException {
        String subject = "Ünïcødé «réçû» — ✓ €/%; ".repeat(30).substring(0, 500);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("mex-to", "X26ABC2");
        metadata.put("mex-subject", subject);
        metadata.put("mex-messageid", "20240101120000000000_ABCDEF");
        metadata.put("Content-Type", "text/csv");

        try (ObjectWriter writer = store.create("inbound/X26ABC1/big-subject.dat", metadata)) {
            writer.stream().write("payload".getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }
        store.putText("inbound/X26ABC1/big-subject.ctl", "{}", metadata);
        writePattern("inbound/X26ABC1/big-subject-multipart.dat", PART + 10, metadata);

        for (String key : List.of("inbound/X26ABC1/big-subject.dat", "inbound/X26ABC1/big-subject.ctl",
                "inbound/X26ABC1/big-subject-multipart.dat")) {
            assertThat(userMetadataBytes(head(key).metadata())).as(key).isLessThanOrEqualTo(2048);
            assertThat(store.decodedMetadata(key)).as(key).containsOnly(Map.entry("mex-to", "X26ABC2"),
                    Map.entry("mex-subject", subject), Map.entry("mex-messageid", "20240101120000000000_ABCDEF"),
                    Map.entry("content-type", "text/csv"));
        }
        assertThat(text("inbound/X26ABC1/big-subject.dat")).isEqualTo("payload");
        assertThat(store.list("inbound/")).extracting(ObjectInfo::key).containsExactly(
                "inbound/X26ABC1/big-subject-multipart.dat", "inbound/X26ABC1/big-subject.ctl",
                "inbound/X26ABC1/big-subject.dat");

        store.move("inbound/X26ABC1/big-subject.dat", "sent/big-subject.dat");
        assertThat(store.decodedMetadata("sent/big-subject.dat")).containsEntry("mex-subject", subject);
        store.delete("sent/big-subject.dat");
        assertThat(allKeys()).noneMatch(key -> key.startsWith("sent/") || key.contains("big-subject.dat"));
    }

    @Test
    void aKeyTakenWhileUploadingAbortsTheUploadAndLeavesTheObjectThereAndItsSidecarAsTheyWere() throws IOException {
        String subject = "é".repeat(400);
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART)) {
            try (ObjectWriter writer = counted.createNew("inbound/X26ABC1/export.csv",
                    Map.of("mex-subject", "ü".repeat(400), "mex-messageid", "ID2"))) {
                writer.stream().write(new byte[2 * PART + 1]);
                store.putText("inbound/X26ABC1/export.csv", "first", Map.of("mex-subject", subject,
                        "mex-messageid", "ID1"));

                assertThatThrownBy(writer::commit).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
            }

            assertThat(requests.operations()).filteredOn(operation -> !operation.startsWith("HeadObject"))
                    .containsExactly(
                            "CreateMultipartUpload inbound/X26ABC1/export.csv metadata={meshgate-sidecar=true, "
                                    + "mex-messageid=ID2}",
                            "UploadPart inbound/X26ABC1/export.csv part=1",
                            "UploadPart inbound/X26ABC1/export.csv part=2",
                            "UploadPart inbound/X26ABC1/export.csv part=3",
                            "AbortMultipartUpload inbound/X26ABC1/export.csv");
        }

        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(store.decodedMetadata("inbound/X26ABC1/export.csv")).containsOnly(
                Map.entry("mex-subject", subject), Map.entry("mex-messageid", "ID1"));
        assertThat(text("inbound/X26ABC1/export.csv")).isEqualTo("first");
        assertThat(allKeys()).containsExactly("inbound/X26ABC1/export.csv", "inbound/X26ABC1/export.csv.meta.json");
    }

    /**
     * AWS S3 refuses {@code If-None-Match: *} writes onto a taken key (412); S3Proxy 2.6 honours the header on reads
     * only. Should it start refusing, the store's look before each such write stops being the only guard here.
     */
    @Test
    void theTestServerIgnoresIfNoneMatchOnWritesWhichIsWhyTheStoreLooksBeforeWriting() {
        String key = "inbound/X26ABC1/x.dat";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("first"));
        s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString("second"));
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(1),
                RequestBody.fromString("third")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(eTag))));

        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String()).isEqualTo("third");
    }

    @Test
    void aManyPartObjectWhoseMetadataOutgrowsS3sLimitHasItsSidecarWrittenJustBeforeItIsCompleted()
            throws IOException {
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART)) {
            writePattern(counted, "inbound/X26ABC2/long-subject.dat", PART + 1,
                    Map.of("mex-subject", "é".repeat(700), "mex-messageid", "M1"));

            assertThat(requests.operations()).containsExactly(
                    "CreateMultipartUpload inbound/X26ABC2/long-subject.dat metadata={meshgate-sidecar=true, "
                            + "mex-messageid=M1}",
                    "UploadPart inbound/X26ABC2/long-subject.dat part=1",
                    "UploadPart inbound/X26ABC2/long-subject.dat part=2",
                    "PutObject inbound/X26ABC2/long-subject.dat.meta.json type=application/json",
                    "CompleteMultipartUpload inbound/X26ABC2/long-subject.dat");
        }
        assertThat(store.decodedMetadata("inbound/X26ABC2/long-subject.dat")).containsOnly(
                Map.entry("mex-subject", "é".repeat(700)), Map.entry("mex-messageid", "M1"));
    }

    /** User metadata's size as AWS counts it against its 2 KB: the UTF-8 bytes of every name and value. */
    private static int userMetadataBytes(Map<String, String> user) {
        return user.entrySet().stream().mapToInt(e -> ("x-amz-meta-" + e.getKey()).getBytes(StandardCharsets.UTF_8)
                .length + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @Test
    void encodesMetadataValuesAsPythonQuotePlusDoes() throws IOException {
        store.putText("outbound/x.csv", "x", Map.of("mex-subject", "a b*~/+_.-é"));

        assertThat(head("outbound/x.csv").metadata())
                .containsExactly(Map.entry("mex-subject", "a+b%2A~%2F%2B_.-%C3%A9"));
    }

    @Test
    void returnsMetadataWrittenByOthersAsStoredEvenWhenNotValidlyEncoded() throws IOException {
        s3.putObject(b -> b.bucket(bucket).key("outbound/x.csv").metadata(Map.of("MEX-TO", "X26ABC2",
                "mex-subject", "100%", "mex-localid", "a+b")), RequestBody.fromBytes(new byte[] {'x'}));

        assertThat(store.metadata("outbound/x.csv")).containsOnly(
                Map.entry("mex-to", "X26ABC2"), Map.entry("mex-subject", "100%"), Map.entry("mex-localid", "a+b"));
    }

    @Test
    void contentTypeAndEncodingAreTheObjectsOwnHeaders() throws IOException {
        try (ObjectWriter writer = store.create("outbound/x.json.gz", Map.of("Content-Type", "application/fhir+json",
                "content-encoding", "gzip", "mex-to", "X26ABC2"))) {
            writer.stream().write(new byte[] {1, 2, 3});
            writer.commit();
        }

        HeadObjectResponse head = head("outbound/x.json.gz");
        assertThat(head.contentType()).isEqualTo("application/fhir+json");
        assertThat(head.contentEncoding()).isEqualTo("gzip");
        assertThat(head.metadata()).containsOnly(Map.entry("mex-to", "X26ABC2"));
        Map<String, String> metadata = store.metadata("outbound/x.json.gz");
        assertThat(metadata).containsOnly(Map.entry("content-type", "application%2Ffhir%2Bjson"),
                Map.entry("content-encoding", "gzip"), Map.entry("mex-to", "X26ABC2"));
        assertThat(decoded(metadata)).containsEntry("content-type", "application/fhir+json");
    }

    @Test
    void contentTypeSetByAnotherClientIsMetadata() throws IOException {
        s3.putObject(b -> b.bucket(bucket).key("outbound/x.csv").contentType("text/csv"),
                RequestBody.fromString("a,b"));

        assertThat(store.metadata("outbound/x.csv")).containsOnly(Map.entry("content-type", "text%2Fcsv"));
    }

    @Test
    void rejectsMetadataNamesThatCannotBeHeadersAndNamesGivenTwice() throws IOException {
        assertThatThrownBy(() -> store.putText("outbound/x.csv", "x", Map.of("mex subject", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mex subject");
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("mex-to", "A");
        twice.put("MEX-TO", "B");
        assertThatThrownBy(() -> store.create("outbound/y.csv", twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");

        assertThat(allKeys()).isEmpty();
    }

    @Test
    void listsAllPagesInKeyOrder() throws IOException {
        List<String> keys = IntStream.range(0, 1_050).mapToObj(i -> String.format("inbound/m%05d.dat", i)).toList();
        keys.parallelStream().forEach(key -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x")));

        List<ObjectInfo> listed = store.list("inbound/");

        assertThat(listed).extracting(ObjectInfo::key).containsExactlyElementsOf(keys);
        assertThat(listed).allSatisfy(info -> assertThat(info.size()).isEqualTo(1));
    }

    @Test
    void abortedMultipartWriterLeavesNoUpload() throws IOException {
        try (ObjectWriter writer = store.create("outbound/large-partial.csv", Map.of())) {
            writer.stream().write(new byte[PART + 1]);
        }

        assertThat(store.stat("outbound/large-partial.csv")).isEmpty();
        assertThat(allKeys()).isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void nothingIsInTheBucketUntilCommitWhetherSmallOrMultipart() throws IOException {
        try (ObjectWriter small = store.create("outbound/small.csv", Map.of("mex-to", "X26ABC2"));
                ObjectWriter large = store.create("outbound/large.csv", Map.of("mex-to", "X26ABC2"))) {
            small.stream().write(new byte[100_000]);
            large.stream().write(new byte[2 * PART + 1]);
            large.stream().flush();

            assertThat(store.stat("outbound/small.csv")).isEmpty();
            assertThat(store.stat("outbound/large.csv")).isEmpty();
            assertThat(allKeys()).isEmpty();

            small.commit();
            large.commit();
        }
        assertThat(store.list("outbound/")).extracting(ObjectInfo::key, ObjectInfo::size).containsExactly(
                org.assertj.core.groups.Tuple.tuple("outbound/large.csv", 2L * PART + 1),
                org.assertj.core.groups.Tuple.tuple("outbound/small.csv", 100_000L));
        assertThat(allKeys()).containsExactly("outbound/large.csv", "outbound/small.csv");
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void writingAfterCommitFails() throws IOException {
        try (ObjectWriter writer = store.create("outbound/x.csv", Map.of())) {
            writer.commit();
            assertThatThrownBy(() -> writer.stream().write(1)).isInstanceOf(IOException.class);
            assertThatThrownBy(writer::commit).isInstanceOf(IOException.class);
        }
        assertThat(store.stat("outbound/x.csv")).hasValueSatisfying(info -> assertThat(info.size()).isZero());
    }

    @Test
    void moveKeepsTheContentTypeAndLeavesOnlyTheTarget() throws IOException {
        store.putText("outbound/x.csv", "payload", Map.of("mex-to", "X26ABC2", "content-type", "text/csv"));
        store.putText("sent/2024/x.csv", "older", Map.of("mex-to", "OLD"));

        store.move("outbound/x.csv", "sent/2024/x.csv");

        assertThat(text("sent/2024/x.csv")).isEqualTo("payload");
        assertThat(store.metadata("sent/2024/x.csv")).containsOnly(Map.entry("mex-to", "X26ABC2"),
                Map.entry("content-type", "text%2Fcsv"));
        assertThat(allKeys()).containsExactly("sent/2024/x.csv");
    }

    @Test
    void rejectsKeysTooLongForS3() {
        assertThatThrownBy(() -> store.create("outbound/" + "é".repeat(508), Map.of())).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void contentStreamClosedPartWayLeavesTheStoreUsable() throws IOException {
        writePattern("inbound/big.dat", 12L * MIB, Map.of());

        MessageContent content = store.content("inbound/big.dat");
        for (int i = 0; i < 20; i++) {
            try (InputStream in = content.open(MIB)) {
                assertThat(in.readNBytes(1024)).hasSize(1024);
            }
        }

        assertThat(digest(content, 6L * MIB)).isEqualTo(patternDigest(6L * MIB, 12L * MIB));
    }

    @Test
    void contentOpenedBeforeTheObjectWasReplacedRefusesToMixVersions() throws IOException {
        store.putText("inbound/m.dat", "first version", Map.of());
        MessageContent content = store.content("inbound/m.dat");
        store.putText("inbound/m.dat", "second version", Map.of());

        assertThatThrownBy(() -> content.open(0).close()).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class);
    }

    @Test
    void isNotOnTheLocalFileSystem() {
        assertThat(store.localFolder("outbound/")).isEmpty();
    }

    @Test
    void multipartObjectRoundTripsByteIdenticalWithMetadata() throws IOException {
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART)) {
            Map<String, String> metadata = Map.of("mex-to", "X26ABC2", "mex-subject", "three parts £",
                    "content-type", "text/plain");

            writePattern(counted, "outbound/three-parts.dat", 12L * MIB, metadata);

            assertThat(requests.of(UploadPartRequest.class)).extracting(UploadPartRequest::contentLength)
                    .containsExactly((long) PART, (long) PART, 2L * MIB);
            assertThat(counted.stat("outbound/three-parts.dat")).hasValueSatisfying(info ->
                    assertThat(info.size()).isEqualTo(12L * MIB));
            assertThat(decoded(counted.metadata("outbound/three-parts.dat"))).containsOnly(
                    Map.entry("mex-to", "X26ABC2"), Map.entry("mex-subject", "three parts £"),
                    Map.entry("content-type", "text/plain"));
            MessageContent content = counted.content("outbound/three-parts.dat");
            assertThat(digest(content, 0)).isEqualTo(patternDigest(0, 12L * MIB));
            assertThat(digest(content, 7L * MIB + 3)).isEqualTo(patternDigest(7L * MIB + 3, 12L * MIB));
            assertThat(allKeys()).containsExactly("outbound/three-parts.dat");
        }
    }

    @Test
    void aManyPartObjectIsUploadedOnlyToItsFinalKeyWithItsMetadataFromTheStart() throws IOException {
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART)) {
            writePattern(counted, "inbound/X26ABC2/three-parts.dat", 12L * MIB,
                    Map.of("mex-messageid", "M1", "content-type", "text/plain"));

            assertThat(requests.operations()).containsExactly(
                    "CreateMultipartUpload inbound/X26ABC2/three-parts.dat type=text/plain metadata={mex-messageid=M1}",
                    "UploadPart inbound/X26ABC2/three-parts.dat part=1",
                    "UploadPart inbound/X26ABC2/three-parts.dat part=2",
                    "UploadPart inbound/X26ABC2/three-parts.dat part=3",
                    "CompleteMultipartUpload inbound/X26ABC2/three-parts.dat");
            assertThat(allKeys()).containsExactly("inbound/X26ABC2/three-parts.dat");
        }
    }

    @Test
    void aSmallObjectIsOnePutObjectOnItsFinalKey() throws IOException {
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART)) {
            writePattern(counted, "inbound/X26ABC2/small.dat", PART - 1,
                    Map.of("mex-messageid", "M1", "content-type", "text/plain"));

            assertThat(requests.operations()).containsExactly(
                    "PutObject inbound/X26ABC2/small.dat type=text/plain metadata={mex-messageid=M1}");
        }
    }

    @Test
    void aManyPartObjectThatMustNotReplaceIsCheckedThenCompletedOnlyIfTheKeyIsStillFree() throws IOException {
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART)) {
            try (ObjectWriter writer = counted.createNew("inbound/X26ABC2/export.csv", Map.of("mex-messageid", "M1"))) {
                writer.stream().write(new byte[2 * PART + 1]);
                writer.commit();
            }

            assertThat(requests.operations()).containsExactly(
                    "HeadObject inbound/X26ABC2/export.csv",
                    "HeadObject inbound/X26ABC2/export.csv.meta.json",
                    "CreateMultipartUpload inbound/X26ABC2/export.csv metadata={mex-messageid=M1}",
                    "UploadPart inbound/X26ABC2/export.csv part=1",
                    "UploadPart inbound/X26ABC2/export.csv part=2",
                    "UploadPart inbound/X26ABC2/export.csv part=3",
                    "HeadObject inbound/X26ABC2/export.csv",
                    "HeadObject inbound/X26ABC2/export.csv.meta.json",
                    "CompleteMultipartUpload inbound/X26ABC2/export.csv if-none-match=*");
        }
    }

    @Test
    void writingALargeObjectHoldsAtMostOnePartInMemory() throws IOException {
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART)) {
            long size = 64L * MIB;

            writePattern(counted, "inbound/large.dat", size, Map.of("mex-messageid", "M1"));

            List<UploadPartRequest> parts = requests.of(UploadPartRequest.class);
            assertThat(parts).hasSize(13);
            assertThat(parts).allSatisfy(part -> assertThat(part.contentLength()).isLessThanOrEqualTo(PART));
            assertThat(parts.stream().mapToLong(UploadPartRequest::contentLength).sum()).isEqualTo(size);
            assertThat(requests.of(CopyObjectRequest.class)).isEmpty();
            assertThat(digest(counted.content("inbound/large.dat"), 0)).isEqualTo(patternDigest(0, size));
        }
    }

    @Test
    void partBufferNeverAllocatesMoreThanOnePart() {
        PartBuffer buffer = new PartBuffer(PART);
        byte[] chunk = new byte[300_000];
        int written = 0;
        while (!buffer.isFull()) {
            written += buffer.write(chunk, 0, chunk.length);
        }
        buffer.clear();
        buffer.write(chunk, 0, chunk.length);

        assertThat(written).isEqualTo(PART);
        assertThat(buffer.allocated()).isEqualTo(PART);
        assertThat(buffer.size()).isEqualTo(chunk.length);
        assertThat(new PartBuffer(PART).write(chunk, 0, 10)).isEqualTo(10);
    }

    @Test
    void objectsLargerThanOneCopyAreCopiedInParts() throws IOException {
        Requests requests = new Requests();
        try (S3ObjectStore counted = new S3ObjectStore(server.client(requests), bucket, PART, PART)) {
            writePattern(counted, "outbound/x.dat", 12L * MIB, Map.of("mex-to", "X26ABC2"));

            counted.move("outbound/x.dat", "sent/x.dat");

            assertThat(requests.of(CopyObjectRequest.class)).isEmpty();
            assertThat(requests.of(UploadPartCopyRequest.class)).hasSize(3);
            assertThat(counted.metadata("sent/x.dat")).containsOnly(Map.entry("mex-to", "X26ABC2"));
            assertThat(digest(counted.content("sent/x.dat"), 0)).isEqualTo(patternDigest(0, 12L * MIB));
            assertThat(allKeys()).containsExactly("sent/x.dat");
        }
    }

    @Test
    void builderChecksItsSettings() {
        assertThatThrownBy(() -> S3ObjectStore.builder().partSize(5 * MIB - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 MiB");
        assertThatThrownBy(() -> S3ObjectStore.builder().region("eu-west-2").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket");
        assertThatThrownBy(() -> S3ObjectStore.builder().credentials("key", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretAccessKey");
        assertThat(S3ObjectStore.builder().credentials("AKIAEXAMPLE", "very-secret").toString())
                .doesNotContain("very-secret");
    }

    /** Every request a client sent, in order. */
    private static final class Requests implements ExecutionInterceptor {
        private final ConcurrentLinkedQueue<SdkRequest> sent = new ConcurrentLinkedQueue<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            sent.add(context.request());
        }

        <T extends SdkRequest> List<T> of(Class<T> type) {
            return sent.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Each request as its S3 operation, its key and what it says about the object written. */
        List<String> operations() {
            return sent.stream().map(Requests::describe).toList();
        }

        private static String describe(SdkRequest request) {
            String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
            StringBuilder out = new StringBuilder(operation).append(' ')
                    .append(request.getValueForField("Key", String.class).orElse("?"));
            if (request instanceof UploadPartRequest part) {
                out.append(" part=").append(part.partNumber());
            }
            request.getValueForField("ContentType", String.class).ifPresent(type -> out.append(" type=").append(type));
            request.getValueForField("Metadata", Map.class).filter(m -> !m.isEmpty())
                    .ifPresent(metadata -> out.append(" metadata=").append(new java.util.TreeMap<>(metadata)));
            request.getValueForField("IfNoneMatch", String.class).ifPresent(tag -> out.append(" if-none-match=")
                    .append(tag));
            return out.toString();
        }
    }

    private void writePattern(String key, long size, Map<String, String> metadata) throws IOException {
        writePattern(store, key, size, metadata);
    }

    /** Streams {@code size} bytes of a pattern that differs at every offset, without holding them. */
    private static void writePattern(ObjectStore target, String key, long size, Map<String, String> metadata)
            throws IOException {
        try (ObjectWriter writer = target.create(key, metadata)) {
            byte[] chunk = new byte[64 * 1024 + 7];
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(chunk.length, size - written);
                fill(chunk, written, n);
                writer.stream().write(chunk, 0, n);
                written += n;
            }
            writer.commit();
        }
    }

    private static void fill(byte[] chunk, long offset, int n) {
        for (int i = 0; i < n; i++) {
            long at = offset + i;
            chunk[i] = (byte) (at * 31 + (at >>> 16));
        }
    }

    private static byte[] patternDigest(long from, long to) {
        MessageDigest sha = sha256();
        byte[] chunk = new byte[64 * 1024];
        for (long at = from; at < to; ) {
            int n = (int) Math.min(chunk.length, to - at);
            fill(chunk, at, n);
            sha.update(chunk, 0, n);
            at += n;
        }
        return sha.digest();
    }

    private static byte[] digest(MessageContent content, long offset) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = content.open(offset)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                sha.update(chunk, 0, n);
            }
        }
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> decoded(Map<String, String> metadata) {
        Map<String, String> decoded = new LinkedHashMap<>();
        metadata.forEach((name, value) -> decoded.put(name, URLDecoder.decode(value, StandardCharsets.UTF_8)));
        return decoded;
    }

    private HeadObjectResponse head(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key));
    }

    /**
     * Every key in the bucket, internal ones included, but for multipart uploads in progress, which S3Proxy keeps as
     * objects of its own (named by the upload id, and {@code .mpus-*} for the parts) and S3 does not show.
     */
    private List<String> allKeys() {
        List<String> uploads = s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::uploadId).toList();
        List<String> keys = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            if (!object.key().startsWith(".mpus-") && !uploads.contains(object.key())) {
                keys.add(object.key());
            }
        }
        return keys;
    }

}
