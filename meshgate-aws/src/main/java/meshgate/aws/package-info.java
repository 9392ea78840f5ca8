/**
 * The gateway's AWS-native parts: a ledger on DynamoDB, settings and secrets from SSM Parameter Store and Secrets
 * Manager, outbound detection from S3 event notifications delivered through SQS, and events to EventBridge and SNS.
 * Depends on the gateway, never the reverse: the gateway finds these parts through {@link java.util.ServiceLoader}.
 */
package meshgate.aws;
