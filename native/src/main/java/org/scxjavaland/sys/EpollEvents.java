package org.scxjavaland.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A reusable array of {@code struct epoll_event} for {@link LibC#epollWait}, with its own errno capture segment for
 * the repeat of a failed wait, so waiting allocates nothing. On x86-64 the struct is packed: {@code u32 events} at 0,
 * {@code u64 data} at 4, 12 bytes, so the data field is read unaligned.
 */
public final class EpollEvents implements AutoCloseable {
    static final long EVENT_SIZE = 12;
    static final ValueLayout.OfLong DATA_LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Arena arena = Arena.ofShared();
    final MemorySegment segment;
    final MemorySegment capture;
    private final int capacity;

    public EpollEvents(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        this.capacity = capacity;
        this.segment = arena.allocate(EVENT_SIZE * capacity, 8);
        this.capture = Ffm.newCapture(arena);
    }

    public int capacity() {
        return capacity;
    }

    /** The event mask (EPOLLIN, ...) of ready entry {@code i}. */
    public int events(int i) {
        return segment.get(JAVA_INT, i * EVENT_SIZE);
    }

    /** The user data registered with epoll_ctl for ready entry {@code i}. */
    public long data(int i) {
        return segment.get(DATA_LAYOUT, i * EVENT_SIZE + 4);
    }

    @Override
    public void close() {
        arena.close();
    }
}
