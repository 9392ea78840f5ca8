package meshgate.aws.settings;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import meshgate.gateway.config.ConfigException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Reads SSM Parameter Store (SecureStrings decrypted) and Secrets Manager, with clients made on first use. Errors
 * name the parameter or secret and AWS's error code, never a value.
 */
final class AwsStores implements AutoCloseable {
    /** How to reach AWS: a region and endpoints (for a local server) when given, else the SDK's defaults. */
    record Connection(Optional<String> region, Optional<URI> ssmEndpoint, Optional<URI> secretsManagerEndpoint,
            Optional<AwsBasicCredentials> credentials) {
        static Connection defaults() {
            return new Connection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    private final Connection connection;
    private SsmClient ssm;
    private SecretsManagerClient secretsManager;

    AwsStores(Connection connection) {
        this.connection = connection;
    }

    /** Every parameter under {@code path} and below it, by name, all pages. */
    Map<String, String> parametersUnder(String path) {
        Map<String, String> found = new LinkedHashMap<>();
        try {
            // The SDK's paginator follows NextToken; AWS returns at most 10 parameters a page.
            for (GetParametersByPathResponse page : ssm().getParametersByPathPaginator(r -> r.path(path)
                    .recursive(true).withDecryption(true))) {
                for (Parameter parameter : page.parameters()) {
                    found.put(parameter.name(), parameter.value());
                }
            }
        } catch (SdkException e) {
            throw failure("cannot read SSM parameters under " + path, e);
        }
        return found;
    }

    /** One parameter's value, decrypted if it is a SecureString. */
    Optional<String> parameter(String name) {
        try {
            return Optional.of(ssm().getParameter(r -> r.name(name).withDecryption(true)).parameter().value());
        } catch (ParameterNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot read SSM parameter " + name, e);
        }
    }

    /** A secret's current text value. */
    Optional<String> secret(String name) {
        GetSecretValueResponse response;
        try {
            response = secretsManager().getSecretValue(r -> r.secretId(name));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot read Secrets Manager secret " + name, e);
        }
        if (response.secretString() == null) {
            throw new ConfigException("Secrets Manager secret " + name + " holds binary data, not text");
        }
        return Optional.of(response.secretString());
    }

    private static ConfigException failure(String what, SdkException e) {
        String why = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().errorCode() + " (HTTP " + aws.statusCode() + ")"
                : e.getClass().getSimpleName();
        return new ConfigException(what + ": " + why, e);
    }

    private SsmClient ssm() {
        if (ssm == null) {
            ssm = build(SsmClient.builder().httpClientBuilder(Apache5HttpClient.builder()),
                    connection.ssmEndpoint());
        }
        return ssm;
    }

    private SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            secretsManager = build(SecretsManagerClient.builder().httpClientBuilder(Apache5HttpClient.builder()),
                    connection.secretsManagerEndpoint());
        }
        return secretsManager;
    }

    private <B extends AwsClientBuilder<B, C>, C> C build(B builder, Optional<URI> endpoint) {
        connection.region().map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        connection.credentials().map(StaticCredentialsProvider::create).ifPresent(builder::credentialsProvider);
        try {
            return builder.build();
        } catch (SdkException e) {
            throw new ConfigException("aws: cannot make an AWS client (" + e.getClass().getSimpleName()
                    + "); is aws.region set, or AWS_REGION?", e);
        }
    }

    @Override
    public void close() {
        if (ssm != null) {
            ssm.close();
        }
        if (secretsManager != null) {
            secretsManager.close();
        }
    }
}
