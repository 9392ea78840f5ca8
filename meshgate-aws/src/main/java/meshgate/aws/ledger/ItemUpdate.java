package meshgate.aws.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One UpdateItem built from attribute values: a value sets its attribute, a null removes it. Every attribute name
 * goes through a placeholder, since many of ours ({@code size}, {@code state}) are DynamoDB reserved words.
 */
final class ItemUpdate {
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private String condition;

    /** Sets every non-null attribute of {@code attributes}, removes every null one. */
    ItemUpdate setAll(Map<String, AttributeValue> attributes) {
        attributes.forEach(this::set);
        return this;
    }

    ItemUpdate set(String attribute, AttributeValue value) {
        if (value == null) {
            removes.add(name(attribute));
        } else {
            sets.add(name(attribute) + " = " + value(value));
        }
        return this;
    }

    ItemUpdate remove(String attribute) {
        removes.add(name(attribute));
        return this;
    }

    /** Adds {@code value} to a number attribute, which counts as 0 when absent. */
    ItemUpdate add(String attribute, AttributeValue value) {
        adds.add(name(attribute) + " " + value(value));
        return this;
    }

    /**
     * The write's condition, with {@code #name} standing for an attribute and {@code :name} for a value given in
     * {@code conditionValues} (e.g. {@code "#lease_owner = :owner"}).
     */
    ItemUpdate when(String expression, Map<String, AttributeValue> conditionValues) {
        String resolved = expression;
        for (String attribute : attributesIn(expression)) {
            resolved = resolved.replace("#" + attribute, name(attribute));
        }
        List<String> keys = new ArrayList<>(conditionValues.keySet());
        keys.sort((a, b) -> b.length() - a.length());
        for (String key : keys) {
            resolved = resolved.replace(":" + key, value(conditionValues.get(key)));
        }
        condition = condition == null ? resolved : "(" + condition + ") AND (" + resolved + ")";
        return this;
    }

    UpdateItemRequest request(String table, String key, ReturnValue returns) {
        StringBuilder expression = new StringBuilder();
        if (!sets.isEmpty()) {
            expression.append("SET ").append(String.join(", ", sets));
        }
        if (!adds.isEmpty()) {
            expression.append(expression.isEmpty() ? "" : " ").append("ADD ").append(String.join(", ", adds));
        }
        if (!removes.isEmpty()) {
            expression.append(expression.isEmpty() ? "" : " ").append("REMOVE ").append(String.join(", ", removes));
        }
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(table)
                .key(Map.of(LedgerTable.KEY, AttributeValue.fromS(key)))
                .updateExpression(expression.toString())
                .expressionAttributeNames(names)
                .returnValues(returns);
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        if (condition != null) {
            request.conditionExpression(condition);
        }
        return request.build();
    }

    private String name(String attribute) {
        String placeholder = "#n" + names.size();
        for (Map.Entry<String, String> known : names.entrySet()) {
            if (known.getValue().equals(attribute)) {
                return known.getKey();
            }
        }
        names.put(placeholder, attribute);
        return placeholder;
    }

    private String value(AttributeValue value) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, value);
        return placeholder;
    }

    private static List<String> attributesIn(String expression) {
        List<String> attributes = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("#([a-z_]+)").matcher(expression);
        while (matcher.find()) {
            attributes.add(matcher.group(1));
        }
        // Longest first, so that replacing #lease_until never touches a longer name starting the same way.
        attributes.sort((a, b) -> b.length() - a.length());
        return attributes;
    }
}
