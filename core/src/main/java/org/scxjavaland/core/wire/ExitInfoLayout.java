package org.scxjavaland.core.wire;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Java twin of {@code struct scx_jl_exit_info} (section ".data.uei") in bpf-src/include/intf.h.
 * WireLayoutTest checks it against the C header. BPF publishes {@code kind} last, so read it with acquire first.
 */
public final class ExitInfoLayout {
    public static final int REASON_LEN = 128;
    public static final int MSG_LEN = 1024;
    public static final int DUMP_LEN = 32768;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("pad"),
            JAVA_LONG.withName("exit_code"),
            MemoryLayout.sequenceLayout(REASON_LEN, JAVA_BYTE).withName("reason"),
            MemoryLayout.sequenceLayout(MSG_LEN, JAVA_BYTE).withName("msg"),
            MemoryLayout.sequenceLayout(DUMP_LEN, JAVA_BYTE).withName("dump"))
            .withName("scx_jl_exit_info");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long KIND = offset("kind");
    public static final long PAD = offset("pad");
    public static final long EXIT_CODE = offset("exit_code");
    public static final long REASON = offset("reason");
    public static final long MSG = offset("msg");
    public static final long DUMP = offset("dump");

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private ExitInfoLayout() {
    }
}
