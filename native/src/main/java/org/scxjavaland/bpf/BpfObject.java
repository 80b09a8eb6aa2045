package org.scxjavaland.bpf;

import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.Ffm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One BPF ELF object opened with libbpf: set it up (sections, map sizes), load it, attach it, and look up its
 * maps and programs. Not thread-safe: one thread sets up and loads; after load the look-ups may be used from any
 * thread.
 * <p>
 * Sections: {@link #section} returns the map's initial value. Before load it is libbpf's private copy (writable);
 * after load, for {@code .data*} and {@code .bss} maps, the same address is the map memory shared with BPF.
 * {@code .rodata*} becomes read-only at load: a segment obtained before load is invalidated by load (access then
 * throws IllegalStateException instead of crashing the process), and after load {@link #section} returns a
 * read-only view.
 */
public final class BpfObject implements BpfObjectSetup, BpfMapLookup, AutoCloseable {
    private final Libbpf lib;
    private final String name;
    private final Arena arena = Arena.ofShared();   // the ELF bytes (libbpf reads them until load) and scratch
    private Arena preLoad = Arena.ofShared();       // scopes the writable views of .rodata sections
    private MemorySegment obj;
    private boolean loaded;

    private BpfObject(Libbpf lib, String name, byte[] elf) {
        this.lib = lib;
        this.name = name;
        MemorySegment buf = arena.allocate(elf.length, 8);
        MemorySegment.copy(elf, 0, buf, JAVA_BYTE, 0, elf.length);
        // struct bpf_object_open_opts: sz at 0, object_name at 8; a smaller sz is valid (older callers)
        MemorySegment opts = arena.allocate(16, 8);
        opts.set(JAVA_LONG, 0, 16);
        opts.set(java.lang.foreign.ValueLayout.ADDRESS, 8, arena.allocateFrom(name));
        MemorySegment cap = Ffm.threadCapture();
        MemorySegment o;
        long mark = Libbpf.warningMark();
        try {
            o = (MemorySegment) lib.openMem.invokeExact(cap, buf, (long) elf.length, opts);
        } catch (Throwable t) {
            arena.close();
            throw new BpfException("bpf_object__open_mem(" + name + "): " + t);
        }
        if (o.address() == 0) {
            int errno = Ffm.errno(cap);
            arena.close();
            throw new BpfException("bpf_object__open_mem(" + name + ")", errno, Libbpf.warningsSince(mark));
        }
        this.obj = o;
    }

    /** Opens {@code resource} (e.g. "/org/scxjavaland/bpf/harness.bpf.o") from the class path. */
    public static BpfObject openResource(String resource) {
        byte[] elf;
        try (InputStream in = BpfObject.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("BPF object " + resource + " is not on the class path (is bpf-src built?)");
            }
            elf = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        return open(dot > 0 ? file.substring(0, dot) : file, elf);
    }

    /** Opens an ELF image; {@code name} becomes the object name (libbpf prefixes some map names with it). */
    public static BpfObject open(String name, byte[] elf) {
        return new BpfObject(Libbpf.get(), name, elf);
    }

    public String name() {
        return name;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /**
     * A struct as the compiler laid it out in this object's BTF (present from open on), or null when the object
     * has no struct of that name.
     */
    public BtfStruct btfStruct(String structName) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment btf = (MemorySegment) lib.objectBtf.invokeExact(obj());
            if (btf.address() == 0) throw new BpfException("BPF object " + name + " carries no BTF");
            int id = (int) lib.btfFindByNameKind.invokeExact(btf, a.allocateFrom(structName), BtfStruct.KIND_STRUCT);
            if (id < 0) return null;
            MemorySegment type = (MemorySegment) lib.btfTypeById.invokeExact(btf, id);
            if (type.address() == 0) return null;
            // struct btf_type { u32 name_off; u32 info; u32 size; } followed by vlen struct btf_member
            // { u32 name_off; u32 type; u32 offset; }
            type = type.reinterpret(12);
            int info = type.get(JAVA_INT, 4);
            int vlen = info & 0xffff;
            boolean kflag = info < 0;
            long size = Integer.toUnsignedLong(type.get(JAVA_INT, 8));
            MemorySegment members = MemorySegment.ofAddress(type.address() + 12).reinterpret(12L * vlen);
            Map<String, Long> offsets = new HashMap<>();
            for (int i = 0; i < vlen; i++) {
                int nameOff = members.get(JAVA_INT, 12L * i);
                int offset = members.get(JAVA_INT, 12L * i + 8);
                long bits = kflag ? offset & 0xffffff : Integer.toUnsignedLong(offset);
                String member = Libbpf.cString((MemorySegment) lib.btfNameByOffset.invokeExact(btf, nameOff));
                if (member != null && !member.isEmpty()) offsets.put(member, bits / 8);
            }
            return new BtfStruct(structName, size, offsets);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new BpfException("reading struct " + structName + " from the BTF of " + name + ": " + t);
        }
    }

    // ---- set-up (before load) -------------------------------------------------------------------------------

    /**
     * The initial value of a data section's map (".rodata.config", ".data.stats", ...); see the class comment for
     * what it is before and after load.
     */
    public MemorySegment section(String sectionName) {
        MemorySegment map = map(sectionName);
        MemorySegment value = initialValue(map, sectionName);
        if (sectionName.startsWith(".rodata")) {
            return loaded ? value.asReadOnly() : value.reinterpret(preLoad, null);
        }
        return value;
    }

    /** The struct_ops map's value (the ops struct as libbpf will create it): set fields before load. */
    public MemorySegment structOpsData(String mapName) {
        MemorySegment map = map(mapName);
        MemorySegment value = initialValue(map, mapName);
        return loaded ? value.asReadOnly() : value.reinterpret(preLoad, null);
    }

    @Override
    public void setMaxEntries(String mapName, int maxEntries) {
        int r;
        try {
            r = (int) lib.mapSetMaxEntries.invokeExact(map(mapName), maxEntries);
        } catch (Throwable t) {
            throw wrap("bpf_map__set_max_entries", mapName, t);
        }
        if (r < 0) throw new BpfException("bpf_map__set_max_entries(" + mapName + ", " + maxEntries + ")", -r, null);
    }

    @Override
    public void setAutocreate(String mapName, boolean create) {
        int r;
        try {
            r = (int) lib.mapSetAutocreate.invokeExact(map(mapName), create);
        } catch (Throwable t) {
            throw wrap("bpf_map__set_autocreate", mapName, t);
        }
        if (r < 0) throw new BpfException("bpf_map__set_autocreate(" + mapName + ", " + create + ")", -r, null);
    }

    /** Whether libbpf loads a program (a program that uses a map that is not created must be turned off). */
    public void setAutoload(String programName, boolean load) {
        int r;
        try {
            r = (int) lib.programSetAutoload.invokeExact(program(programName), load);
        } catch (Throwable t) {
            throw wrap("bpf_program__set_autoload", programName, t);
        }
        if (r < 0) throw new BpfException("bpf_program__set_autoload(" + programName + ", " + load + ")", -r, null);
    }

    /** Creates the maps and loads the programs. On failure the message ends with libbpf's last warnings. */
    public void load() {
        if (loaded) throw new IllegalStateException(name + " is already loaded");
        long mark = Libbpf.warningMark();
        // writable .rodata views die here: libbpf remaps those pages read-only
        preLoad.close();
        preLoad = null;
        int r;
        try {
            r = (int) lib.objectLoad.invokeExact(obj());
        } catch (Throwable t) {
            throw new BpfException("bpf_object__load(" + name + "): " + t);
        }
        if (r < 0) {
            throw new BpfException("bpf_object__load(" + name + ")", -r, Libbpf.warningsSince(mark));
        }
        loaded = true;
    }

    /** Attaches a struct_ops map (the scheduler). */
    public BpfLink attachStructOps(String mapName) {
        MemorySegment map = map(mapName);
        return attach("bpf_map__attach_struct_ops", mapName,
                cap -> (MemorySegment) lib.attachStructOps.invokeExact(cap, map));
    }

    /** Attaches a program where its section name says (tracepoints: "tp_btf/NAME", "raw_tp/NAME"). */
    public BpfLink attachProgram(String programName) {
        MemorySegment prog = program(programName);
        return attach("bpf_program__attach", programName,
                cap -> (MemorySegment) lib.attachProgram.invokeExact(cap, prog));
    }

    /** A libbpf attach call that sets errno through the capture segment it is given. */
    @FunctionalInterface
    private interface AttachCall {
        MemorySegment invoke(MemorySegment errnoCapture) throws Throwable;
    }

    private BpfLink attach(String call, String what, AttachCall attachCall) {
        requireLoaded();
        MemorySegment cap = Ffm.threadCapture();
        long mark = Libbpf.warningMark();
        MemorySegment link;
        try {
            link = attachCall.invoke(cap);
        } catch (Throwable t) {
            throw wrap(call, what, t);
        }
        if (link.address() == 0) {
            throw new BpfException(call + "(" + what + ")", Ffm.errno(cap), Libbpf.warningsSince(mark));
        }
        return new BpfLink(lib, link, name + "/" + what);
    }

    // ---- look-ups -------------------------------------------------------------------------------------------

    public int programFd(String programName) {
        requireLoaded();
        int fd;
        try {
            fd = (int) lib.programFd.invokeExact(program(programName));
        } catch (Throwable t) {
            throw wrap("bpf_program__fd", programName, t);
        }
        if (fd < 0) throw new BpfException("program '" + programName + "' of " + name + " was not loaded");
        return fd;
    }

    @Override
    public int mapFd(String mapName) {
        requireLoaded();
        int fd;
        try {
            MemorySegment map = map(mapName);
            // a map that was not created still has an fd: libbpf's placeholder (a memfd), not a map
            if (!(boolean) lib.mapAutocreate.invokeExact(map)) fd = -1;
            else fd = (int) lib.mapFd.invokeExact(map);
        } catch (Throwable t) {
            throw wrap("bpf_map__fd", mapName, t);
        }
        if (fd < 0) throw new BpfException("map '" + mapName + "' of " + name + " was not created");
        return fd;
    }

    /** After load the kernel's value (what the map really has); before load the value libbpf will use. */
    @Override
    public int maxEntries(String mapName) {
        if (loaded) {
            try {
                return Bpf.mapInfo(mapFd(mapName)).maxEntries();
            } catch (ErrnoException e) {
                throw new BpfException("map info of '" + mapName + "': " + e.getMessage());
            }
        }
        try {
            return (int) lib.mapMaxEntries.invokeExact(map(mapName));
        } catch (Throwable t) {
            throw wrap("bpf_map__max_entries", mapName, t);
        }
    }

    public int mapType(String mapName) {
        try {
            return (int) lib.mapType.invokeExact(map(mapName));
        } catch (Throwable t) {
            throw wrap("bpf_map__type", mapName, t);
        }
    }

    public int valueSize(String mapName) {
        try {
            return (int) lib.mapValueSize.invokeExact(map(mapName));
        } catch (Throwable t) {
            throw wrap("bpf_map__value_size", mapName, t);
        }
    }

    public boolean hasMap(String mapName) {
        return find(mapName) != null;
    }

    /** The maps' names as libbpf reports them (".data.stats" for custom data sections). */
    public List<String> mapNames() {
        List<String> names = new ArrayList<>();
        try {
            for (MemorySegment m = (MemorySegment) lib.nextMap.invokeExact(obj(), MemorySegment.NULL);
                 m.address() != 0; m = (MemorySegment) lib.nextMap.invokeExact(obj(), m)) {
                names.add(Libbpf.cString((MemorySegment) lib.mapName.invokeExact(m)));
            }
        } catch (Throwable t) {
            throw new BpfException("listing maps of " + name + ": " + t);
        }
        return names;
    }

    public List<String> programNames() {
        List<String> names = new ArrayList<>();
        try {
            for (MemorySegment p = (MemorySegment) lib.nextProgram.invokeExact(obj(), MemorySegment.NULL);
                 p.address() != 0; p = (MemorySegment) lib.nextProgram.invokeExact(obj(), p)) {
                names.add(Libbpf.cString((MemorySegment) lib.programName.invokeExact(p)));
            }
        } catch (Throwable t) {
            throw new BpfException("listing programs of " + name + ": " + t);
        }
        return names;
    }

    @Override
    public void close() {
        if (obj == null) return;
        MemorySegment o = obj;
        obj = null;
        try {
            lib.objectClose.invokeExact(o);
        } catch (Throwable t) {
            throw new BpfException("bpf_object__close(" + name + "): " + t);
        } finally {
            if (preLoad != null) preLoad.close();
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (loaded ? ", loaded]" : "]");
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private MemorySegment obj() {
        if (obj == null) throw new IllegalStateException("BPF object " + name + " is closed");
        return obj;
    }

    private void requireLoaded() {
        if (!loaded) throw new IllegalStateException("BPF object " + name + " is not loaded yet");
    }

    private MemorySegment find(String mapName) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = (MemorySegment) lib.findMapByName.invokeExact(obj(), a.allocateFrom(mapName));
            if (m.address() != 0) return m;
            // libbpf matches ".xxx" against the ELF section name; also accept the name bpf_map__name reports
            for (m = (MemorySegment) lib.nextMap.invokeExact(obj(), MemorySegment.NULL); m.address() != 0;
                 m = (MemorySegment) lib.nextMap.invokeExact(obj(), m)) {
                if (mapName.equals(Libbpf.cString((MemorySegment) lib.mapName.invokeExact(m)))) return m;
            }
            return null;
        } catch (Throwable t) {
            throw new BpfException("looking up map '" + mapName + "' in " + name + ": " + t);
        }
    }

    private MemorySegment map(String mapName) {
        MemorySegment m = find(mapName);
        if (m == null) {
            throw new BpfException("BPF object " + name + " has no map '" + mapName + "' (it has " + mapNames() + ")");
        }
        return m;
    }

    private MemorySegment program(String programName) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = (MemorySegment) lib.findProgByName.invokeExact(obj(), a.allocateFrom(programName));
            if (p.address() == 0) {
                throw new BpfException("BPF object " + name + " has no program '" + programName + "' (it has "
                        + programNames() + ")");
            }
            return p;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new BpfException("looking up program '" + programName + "' in " + name + ": " + t);
        }
    }

    private MemorySegment initialValue(MemorySegment map, String mapName) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            MemorySegment v = (MemorySegment) lib.mapInitialValue.invokeExact(map, size);
            if (v.address() == 0) {
                throw new BpfException("map '" + mapName + "' of " + name + " has no initial value (not a data "
                        + "section or struct_ops map?)");
            }
            return v.reinterpret(size.get(JAVA_LONG, 0));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("bpf_map__initial_value", mapName, t);
        }
    }

    private BpfException wrap(String call, String what, Throwable t) {
        if (t instanceof BpfException b) return b;
        return new BpfException(call + "(" + what + ") in " + name + ": " + t);
    }
}
