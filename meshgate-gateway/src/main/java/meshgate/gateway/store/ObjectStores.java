package meshgate.gateway.store;

import meshgate.gateway.config.StoreSettings;

/** The store that {@code store:} names: a local folder, or an S3 bucket. */
public final class ObjectStores {
    private ObjectStores() {
    }

    public static ObjectStore open(StoreSettings settings) {
        if (settings.s3().isEmpty()) {
            return new LocalFolderStore(settings.root(), FileAccess.of(settings.groupReadable()));
        }
        StoreSettings.S3Settings s3 = settings.s3().get();
        S3ObjectStore.Builder builder = S3ObjectStore.builder().bucket(s3.bucket()).pathStyle(s3.pathStyle())
                .partSize(s3.partSize());
        s3.region().ifPresent(builder::region);
        s3.endpoint().ifPresent(builder::endpoint);
        if (s3.accessKeyId().isPresent() && s3.secretAccessKey().isPresent()) {
            builder.credentials(s3.accessKeyId().get().reveal(), s3.secretAccessKey().get().reveal());
        }
        return builder.build();
    }
}
