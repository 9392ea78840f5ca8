package meshgate.aws.ledger;

import java.time.Duration;
import meshgate.gateway.ledger.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The ledger's one table (documented in docs/configuration.md, "DynamoDB ledger"): a string partition key
 * {@value #KEY} and no sort key; a global secondary index {@value #BY_STATE} on {@value #LIST_STATE} (string) and
 * {@value #LIST_ORDER} (number), keys only, to list records by state; TTL on {@value #EXPIRES_AT}; on-demand
 * capacity.
 */
final class LedgerTable {
    static final String KEY = "pk";
    static final String BY_STATE = "by_state";
    static final String LIST_STATE = "list_state";
    static final String LIST_ORDER = "list_order";
    static final String EXPIRES_AT = "expires_at";

    private static final Logger log = LoggerFactory.getLogger(LedgerTable.class);
    private static final Duration ACTIVE_WAIT = Duration.ofMinutes(5);

    private LedgerTable() {
    }

    /** Makes sure {@code table} exists and is active, creating it first when {@code create} is set. */
    static void prepare(DynamoDbClient dynamo, String table, boolean create) {
        try {
            if (create) {
                create(dynamo, table);
            }
            awaitActive(dynamo, table);
        } catch (ResourceNotFoundException e) {
            throw new LedgerException("DynamoDB table " + table + " does not exist: create it as docs/configuration.md "
                    + "describes, or set ledger.create_table: true", e);
        } catch (SdkException e) {
            throw new LedgerException("cannot reach DynamoDB table " + table + ": " + e.getMessage(), e);
        }
    }

    private static void create(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(request -> request.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(KEY, ScalarAttributeType.S),
                            attribute(LIST_STATE, ScalarAttributeType.S),
                            attribute(LIST_ORDER, ScalarAttributeType.N))
                    .keySchema(KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(BY_STATE)
                            .keySchema(KeySchemaElement.builder().attributeName(LIST_STATE).keyType(KeyType.HASH)
                                            .build(),
                                    KeySchemaElement.builder().attributeName(LIST_ORDER).keyType(KeyType.RANGE)
                                            .build())
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                            .build()));
            log.info("event=ledger.table_created table={}", table);
        } catch (ResourceInUseException e) {
            // Another node created it first, or it was there already: either way it is the table to use.
            log.info("event=ledger.table_exists table={}", table);
            return;
        }
        awaitActive(dynamo, table);
        enableTtl(dynamo, table);
    }

    private static void enableTtl(DynamoDbClient dynamo, String table) {
        try {
            dynamo.updateTimeToLive(request -> request.tableName(table)
                    .timeToLiveSpecification(ttl -> ttl.attributeName(EXPIRES_AT).enabled(true)));
        } catch (DynamoDbException e) {
            // Some DynamoDB-API servers (dynalite, used by the tests) have no TTL: records are then kept.
            log.warn("event=ledger.ttl_not_enabled table={} attribute={} reason=\"{}\"", table, EXPIRES_AT,
                    e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode());
        }
    }

    private static void awaitActive(DynamoDbClient dynamo, String table) {
        long deadline = System.nanoTime() + ACTIVE_WAIT.toNanos();
        while (true) {
            TableDescription description = dynamo.describeTable(request -> request.tableName(table)).table();
            boolean indexesActive = description.globalSecondaryIndexes().stream()
                    .allMatch(index -> index.indexStatusAsString().equals("ACTIVE"));
            if (description.tableStatus() == TableStatus.ACTIVE && indexesActive) {
                if (description.globalSecondaryIndexes().stream().noneMatch(i -> i.indexName().equals(BY_STATE))) {
                    throw new LedgerException("DynamoDB table " + table + " has no index " + BY_STATE + " on "
                            + LIST_STATE + " and " + LIST_ORDER + " (see docs/configuration.md)", null);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LedgerException("DynamoDB table " + table + " is not active after " + ACTIVE_WAIT, null);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LedgerException("interrupted waiting for DynamoDB table " + table, e);
            }
        }
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }
}
