package meshgate.dps.record;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import meshgate.gateway.config.Secret;

/**
 * Records from a database table (or view) whose columns are named as in {@link VaccinationRecord#FIELDS}; other
 * columns are ignored. Rows of a programme (matched in any case) are read in order of {@code date_and_time} then {@code id}, a batch at a
 * time. Dates and timestamps may be SQL DATE/TIMESTAMP columns or text. The JDBC driver must be on the class path
 * (H2's is).
 */
public final class JdbcTableSource implements VaccinationRecordSource {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final int FETCH_SIZE = 500;

    private final String url;
    private final String user;
    private final Secret password;
    private final String table;

    /**
     * @param table a table or view name, optionally schema-qualified ({@code app.vaccination_records})
     */
    public JdbcTableSource(String url, String user, Secret password, String table) {
        this.url = Objects.requireNonNull(url);
        this.user = user == null ? "" : user;
        this.password = password == null ? Secret.literal("") : password;
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table must be a name such as vaccination_records or "
                    + "app.vaccination_records, got '" + table + "'");
        }
        this.table = table;
    }

    @Override
    public void read(String programme, Consumer<VaccinationRecord> consumer) {
        String sql = "SELECT * FROM " + table + " WHERE UPPER(programme) = UPPER(?) ORDER BY date_and_time, id";
        try (Connection connection = DriverManager.getConnection(url, user, password.reveal());
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(FETCH_SIZE);
            select.setString(1, programme);
            try (ResultSet rows = select.executeQuery()) {
                ResultSetMetaData meta = rows.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
                SourceColumns.check(columns, describe());
                while (rows.next()) {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        if (VaccinationRecord.isField(columns.get(i))) {
                            values.put(columns.get(i), text(rows.getObject(i + 1)));
                        }
                    }
                    consumer.accept(VaccinationRecord.fromFields(values));
                }
            }
        } catch (SQLException e) {
            throw new RecordSourceException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    @Override
    public String describe() {
        return "table " + table + " at " + url.replaceAll("(?i)(password|pwd)=[^;&]*", "$1=***");
    }
}
