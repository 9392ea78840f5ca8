package meshgate.cli.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of one log line as MeshGate writes them, {@code event_name key=value key="a quoted value" ...} (or
 * {@code event=event_name key=value ...}): the leading word becomes {@code event}, every {@code key=value} a field.
 * A value runs to the next space, or to its closing quote or bracket ({@code mailboxes=[X26ABC1, X26ABC2]}); words
 * that are not {@code key=value} are left to the message.
 */
final class MessageFields {
    private final String text;
    private int position;

    private MessageFields(String text) {
        this.text = text;
    }

    static Map<String, String> of(String message) {
        return message == null ? Map.of() : new MessageFields(message).read();
    }

    private Map<String, String> read() {
        Map<String, String> fields = new LinkedHashMap<>();
        skipSpaces();
        int start = position;
        String first = word();
        if (isName(first)) {
            fields.put("event", first);
        } else {
            position = start;
        }
        while (skipSpaces()) {
            int keyStart = position;
            while (position < text.length() && isKeyChar(text.charAt(position))) {
                position++;
            }
            if (position > keyStart && position < text.length() && text.charAt(position) == '=') {
                String key = text.substring(keyStart, position++);
                fields.put(key, value());
            } else {
                word();
            }
        }
        return fields;
    }

    private String value() {
        if (position < text.length() && text.charAt(position) == '"') {
            return quoted();
        }
        if (position < text.length() && text.charAt(position) == '[') {
            int close = text.indexOf(']', position);
            if (close > 0) {
                String value = text.substring(position, close + 1);
                position = close + 1;
                return value;
            }
        }
        return word();
    }

    /** A quoted value, its quotes taken off; a backslash keeps the next character (an escaped quote). */
    private String quoted() {
        StringBuilder value = new StringBuilder();
        position++;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '\\' && position < text.length()) {
                value.append(text.charAt(position++));
            } else if (c == '"') {
                return value.toString();
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private String word() {
        int start = position;
        while (position < text.length() && !Character.isWhitespace(text.charAt(position))) {
            position++;
        }
        return text.substring(start, position);
    }

    /** Skips spaces; false at the end of the text. */
    private boolean skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
        return position < text.length();
    }

    private static boolean isName(String word) {
        return !word.isEmpty() && word.chars().allMatch(c -> c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                && Character.isLetter(word.charAt(0));
    }

    private static boolean isKeyChar(char c) {
        return c == '_' || c == '.' || c == '-' || Character.isLetterOrDigit(c);
    }
}
