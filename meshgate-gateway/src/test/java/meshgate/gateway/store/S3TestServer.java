package meshgate.gateway.store;

import java.net.URI;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-API server in this process (S3Proxy over an in-memory blob store) on a free port, path-style, with
 * credentials, for tests of anything that stores in S3.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "meshgate-test-access";
    public static final String SECRET_KEY = "meshgate-test-secret";
    public static final String REGION = "us-east-1";

    private final BlobStoreContext blobs;
    private final S3Proxy proxy;
    private final URI endpoint;

    private S3TestServer(BlobStoreContext blobs, S3Proxy proxy) {
        this.blobs = blobs;
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public static S3TestServer start() throws Exception {
        return start(ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class));
    }

    /** An S3 server keeping its objects in a folder, for objects too large to hold in memory. */
    public static S3TestServer startOnDisk(java.nio.file.Path folder) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        return start(ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class));
    }

    private static S3TestServer start(BlobStoreContext blobs) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            blobs.close();
            throw e;
        }
        return new S3TestServer(blobs, proxy);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates a bucket with a new name and returns the name. */
    public String createBucket() {
        String bucket = "test-" + UUID.randomUUID().toString().toLowerCase(Locale.ROOT);
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    /** A store builder for {@code bucket} on this server. */
    public S3ObjectStore.Builder storeBuilder(String bucket) {
        return S3ObjectStore.builder().bucket(bucket).region(REGION).endpoint(endpoint).pathStyle(true)
                .credentials(ACCESS_KEY, SECRET_KEY);
    }

    /** A client of this server, configured as the store's builder configures its own, to look behind the store. */
    public S3Client client(ExecutionInterceptor... interceptors) {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .region(Region.of(REGION))
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor interceptor : interceptors) {
                        c.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            blobs.close();
        }
    }
}
