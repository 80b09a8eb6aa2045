package org.scxjavaland.bpf;

import java.util.Map;

/**
 * A struct as a BPF object's BTF describes it: its size and each named member's byte offset.
 */
public record BtfStruct(String name, long size, Map<String, Long> memberOffsets) {
    /** BTF_KIND_STRUCT in linux/btf.h. */
    static final int KIND_STRUCT = 4;

    public BtfStruct {
        memberOffsets = Map.copyOf(memberOffsets);
    }
}
