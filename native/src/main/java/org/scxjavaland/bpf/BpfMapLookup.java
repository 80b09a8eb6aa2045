package org.scxjavaland.bpf;

/** The maps of a loaded BPF object, as a transport needs them. */
public interface BpfMapLookup {
    /** The map's file descriptor; throws BpfException with a clear message when the map does not exist. */
    int mapFd(String mapName);

    /** The map's max_entries as the kernel holds it (after libbpf's rounding of ring sizes). */
    int maxEntries(String mapName);
}
