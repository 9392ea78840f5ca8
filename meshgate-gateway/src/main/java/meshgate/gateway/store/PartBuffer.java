package meshgate.gateway.store;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one upload part, held in blocks so that the buffer never holds more than its capacity, never copies
 * to grow, and stays small for small objects. Cleared after each part and filled again with the same blocks.
 */
final class PartBuffer {
    private static final int FIRST_BLOCK_BYTES = 64 * 1024;
    private static final int BLOCK_BYTES = 1024 * 1024;

    private final int capacity;
    private final List<byte[]> blocks = new ArrayList<>();
    private int allocated;
    private int size;
    private int block;
    private int position;

    PartBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Copies as many of the bytes as fit; returns how many that was. */
    int write(byte[] bytes, int offset, int length) {
        int accepted = 0;
        while (accepted < length && size < capacity) {
            if (block == blocks.size()) {
                byte[] added = new byte[Math.min(blocks.isEmpty() ? FIRST_BLOCK_BYTES : BLOCK_BYTES,
                        capacity - allocated)];
                blocks.add(added);
                allocated += added.length;
            }
            byte[] current = blocks.get(block);
            int n = Math.min(length - accepted, current.length - position);
            System.arraycopy(bytes, offset + accepted, current, position, n);
            accepted += n;
            size += n;
            position += n;
            if (position == current.length) {
                block++;
                position = 0;
            }
        }
        return accepted;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    /** Bytes allocated so far, never more than the capacity. */
    int allocated() {
        return allocated;
    }

    void clear() {
        size = 0;
        block = 0;
        position = 0;
    }

    /** A new stream over the buffered bytes; each call starts again from the first byte (for retries). */
    InputStream newStream() {
        return new InputStream() {
            private int read;
            private int index;
            private int offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (read == size) {
                    return -1;
                }
                byte[] current = blocks.get(index);
                int n = Math.min(Math.min(len, current.length - offset), size - read);
                System.arraycopy(current, offset, into, off, n);
                read += n;
                offset += n;
                if (offset == current.length) {
                    index++;
                    offset = 0;
                }
                return n;
            }

            @Override
            public int available() {
                return size - read;
            }
        };
    }
}
