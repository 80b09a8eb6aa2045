package org.scxjavaland.bpf;

/** What a transport may change in a BPF object between open and load. */
public interface BpfObjectSetup {
    /** Sets a map's max_entries (bytes for ring buffers, elements for queues). */
    void setMaxEntries(String mapName, int maxEntries);

    /** Whether libbpf creates the map at load; a transport turns off maps the running kernel cannot create. */
    void setAutocreate(String mapName, boolean create);
}
