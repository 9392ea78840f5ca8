package meshgate.aws.ledger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** The DynamoDB client the settings describe. */
final class DynamoDbClients {
    private DynamoDbClients() {
    }

    static DynamoDbClient build(DynamoDbSettings settings) {
        DynamoDbClientBuilder client = DynamoDbClient.builder().httpClientBuilder(Apache5HttpClient.builder());
        settings.region().ifPresent(region -> client.region(Region.of(region)));
        settings.endpoint().ifPresent(client::endpointOverride);
        if (settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()) {
            client.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    settings.accessKeyId().get(), settings.secretAccessKey().get())));
        }
        return client.build();
    }
}
