package meshgate.protocol;

/**
 * The value of {@code mex-chunk-range}: chunk {@code number} of {@code total}, both counted from 1, written
 * {@code "n:N"}.
 */
public record ChunkRange(int number, int total) {
    public ChunkRange {
        if (total < 1 || number < 1 || number > total) {
            throw new IllegalArgumentException("invalid chunk range " + number + ":" + total);
        }
    }

    public static ChunkRange single() {
        return new ChunkRange(1, 1);
    }

    /** Parses {@code "n:N"}; throws {@link IllegalArgumentException} with a readable reason otherwise. */
    public static ChunkRange parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing chunk range");
        }
        String[] parts = value.trim().split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("chunk range must be n:N, got '" + value + "'");
        }
        try {
            return new ChunkRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chunk range must be n:N, got '" + value + "'", e);
        }
    }

    /**
     * Reads the range a download answered with. A report has no chunks, and MESH's sandbox says so with a total of
     * 0 ({@code 1:0}); a reader still has one (empty) body to read, so that is chunk 1 of 1.
     */
    public static ChunkRange parseAnswered(String value) {
        if (value != null && value.trim().matches("1\\s*:\\s*0")) {
            return single();
        }
        return parse(value);
    }

    public boolean isLast() {
        return number == total;
    }

    @Override
    public String toString() {
        return number + ":" + total;
    }
}
