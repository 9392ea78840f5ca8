package meshgate.bench;

import java.net.URI;
import java.util.Properties;
import meshgate.gateway.store.S3ObjectStore;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** An S3-API server in this process (S3Proxy on an in-memory blob store) for a benchmark's buckets. */
final class LocalS3 implements AutoCloseable {
    static final String KEY = "bench-access";
    static final String SECRET = "bench-secret";

    private final BlobStoreContext blobs;
    private final S3Proxy proxy;
    private final URI endpoint;

    private LocalS3(BlobStoreContext blobs, S3Proxy proxy) {
        this.blobs = blobs;
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    static LocalS3 start() throws Exception {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return new LocalS3(blobs, proxy);
    }

    URI endpoint() {
        return endpoint;
    }

    void createBucket(String name) {
        blobs.getBlobStore().createContainerInLocation(null, name);
    }

    /** A store on {@code bucket}, reached as the gateway reaches it. */
    S3ObjectStore store(String bucket) {
        return S3ObjectStore.builder().bucket(bucket).endpoint(endpoint).region("us-east-1").pathStyle(true)
                .credentials(KEY, SECRET).build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobs.close();
    }
}
