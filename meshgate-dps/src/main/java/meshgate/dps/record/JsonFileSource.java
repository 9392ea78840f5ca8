package meshgate.dps.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Records from a JSON file holding an array of objects whose keys name the fields as in
 * {@link VaccinationRecord#FIELDS} (any case; other keys are ignored). Values may be strings, numbers or booleans;
 * null is empty. The array is streamed one object at a time, once per programme.
 */
public final class JsonFileSource implements VaccinationRecordSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public JsonFileSource(Path file) {
        this.file = Objects.requireNonNull(file);
    }

    @Override
    public void read(String programme, Consumer<VaccinationRecord> consumer) {
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new RecordSourceException(describe() + " must hold a JSON array of records");
            }
            boolean first = true;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode object = parser.readValueAsTree();
                Map<String, String> values = new LinkedHashMap<>();
                List<String> names = new ArrayList<>();
                object.fields().forEachRemaining(field -> {
                    names.add(field.getKey());
                    JsonNode value = field.getValue();
                    values.put(field.getKey(), value.isValueNode() && !value.isNull() ? value.asText() : "");
                });
                if (first) {
                    SourceColumns.check(names, describe());
                    first = false;
                }
                VaccinationRecord record = VaccinationRecord.fromFields(values);
                if (record.programme().equalsIgnoreCase(programme)) {
                    consumer.accept(record);
                }
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                throw new RecordSourceException(describe() + ": every element of the array must be an object");
            }
        } catch (IOException e) {
            throw new RecordSourceException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "JSON file " + file;
    }
}
