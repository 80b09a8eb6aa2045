package org.scxjavaland.bpf;

import org.scxjavaland.sys.Ffm;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libbpf (1.5 or newer) bound through FFM. Which library is used, in order:
 * <ol>
 *   <li>the path in system property {@value #PATH_PROPERTY};</li>
 *   <li>the one the bpf-src jar ships at {@value #BUNDLED_RESOURCE}, extracted once into a private (0700)
 *       temporary directory that is deleted on exit;</li>
 *   <li>the system's libbpf.so.1.</li>
 * </ol>
 * A library older than 1.5 is refused. libbpf's log goes to a {@link LogSink} (default: {@link System.Logger}
 * "org.scxjavaland.libbpf", DEBUG), and the last warnings are kept to explain a failed load.
 */
public final class Libbpf {
    public static final String PATH_PROPERTY = "scx_javaland.libbpf";
    public static final String BUNDLED_RESOURCE = "/native/linux-x86_64/libbpf.so";
    public static final int MIN_MAJOR = 1, MIN_MINOR = 5;

    public static final int LEVEL_WARN = 0, LEVEL_INFO = 1, LEVEL_DEBUG = 2;

    /** Receives libbpf's log, one line at a time. Called on whichever thread called libbpf. */
    @FunctionalInterface
    public interface LogSink {
        void log(int level, String line);
    }

    private static final int KEPT_WARNINGS = 50;
    private static final System.Logger LOGGER = System.getLogger("org.scxjavaland.libbpf");
    private static final LogSink DEFAULT_SINK = (level, line) ->
            LOGGER.log(level == LEVEL_WARN ? System.Logger.Level.DEBUG : System.Logger.Level.TRACE, line);

    private static volatile Libbpf instance;
    private static volatile String failure;

    private final Arena arena = Arena.global();
    private final String path;
    private final String source;
    private final String version;

    final MethodHandle openMem;          // bpf_object *(const void *, size_t, const opts *)      errno
    final MethodHandle objectLoad;       // int (bpf_object *)
    final MethodHandle objectClose;      // void (bpf_object *)
    final MethodHandle objectName;       // const char *(const bpf_object *)
    final MethodHandle nextMap;          // bpf_map *(const bpf_object *, const bpf_map *)
    final MethodHandle findMapByName;    // bpf_map *(const bpf_object *, const char *)
    final MethodHandle mapName;          // const char *(const bpf_map *)
    final MethodHandle mapFd;            // int (const bpf_map *)
    final MethodHandle mapType;          // int (const bpf_map *)
    final MethodHandle mapMaxEntries;    // u32 (const bpf_map *)
    final MethodHandle mapSetMaxEntries; // int (bpf_map *, u32)
    final MethodHandle mapSetAutocreate; // int (bpf_map *, bool)
    final MethodHandle mapAutocreate;    // bool (const bpf_map *)
    final MethodHandle mapValueSize;     // u32 (const bpf_map *)
    final MethodHandle mapInitialValue;  // void *(const bpf_map *, size_t *)
    final MethodHandle findProgByName;   // bpf_program *(const bpf_object *, const char *)
    final MethodHandle nextProgram;      // bpf_program *(const bpf_object *, const bpf_program *)
    final MethodHandle programName;      // const char *(const bpf_program *)
    final MethodHandle programFd;        // int (const bpf_program *)
    final MethodHandle programSetAutoload; // int (bpf_program *, bool)
    final MethodHandle attachStructOps;  // bpf_link *(const bpf_map *)                           errno
    final MethodHandle attachProgram;    // bpf_link *(const bpf_program *)                       errno
    final MethodHandle linkDestroy;      // int (bpf_link *)
    final MethodHandle linkFd;           // int (const bpf_link *)
    final MethodHandle objectBtf;        // struct btf *(const bpf_object *)
    final MethodHandle btfFindByNameKind; // s32 (const struct btf *, const char *, u32 kind)
    final MethodHandle btfTypeById;      // const struct btf_type *(const struct btf *, u32)
    final MethodHandle btfNameByOffset;  // const char *(const struct btf *, u32)
    // int (int fd, const void *key, void *value), int (int fd, const void *key, const void *value, u64 flags):
    // -errno on failure (libbpf 1.0+), so no errno capture; pointers passed as raw addresses (QueueMapOps)
    final MethodHandle mapLookupAndDeleteElem;
    final MethodHandle mapUpdateElem;
    private final MethodHandle setPrint;

    private Libbpf(SymbolLookup lib, String path, String source) {
        this.path = path;
        this.source = source;
        MethodHandle major = handle(lib, "libbpf_major_version", FunctionDescriptor.of(JAVA_INT));
        MethodHandle minor = handle(lib, "libbpf_minor_version", FunctionDescriptor.of(JAVA_INT));
        MethodHandle versionString = handle(lib, "libbpf_version_string", FunctionDescriptor.of(ADDRESS));
        int maj, min;
        String v;
        try {
            maj = (int) major.invokeExact();
            min = (int) minor.invokeExact();
            v = ((MemorySegment) versionString.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw new BpfException("libbpf at " + path + ": cannot read its version: " + t);
        }
        this.version = v;
        if (maj < MIN_MAJOR || (maj == MIN_MAJOR && min < MIN_MINOR)) {
            throw new BpfException("libbpf at " + path + " (" + source + ") is " + v + "; need " + MIN_MAJOR + "."
                    + MIN_MINOR + " or newer");
        }
        openMem = handleErrno(lib, "bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        objectLoad = handle(lib, "bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        objectClose = handle(lib, "bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        objectName = handle(lib, "bpf_object__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        nextMap = handle(lib, "bpf_object__next_map", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        findMapByName = handle(lib, "bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        mapName = handle(lib, "bpf_map__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        mapFd = handle(lib, "bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapType = handle(lib, "bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapMaxEntries = handle(lib, "bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapSetMaxEntries = handle(lib, "bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        mapSetAutocreate = handle(lib, "bpf_map__set_autocreate",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        mapAutocreate = handle(lib, "bpf_map__autocreate", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        mapValueSize = handle(lib, "bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapInitialValue = handle(lib, "bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        findProgByName = handle(lib, "bpf_object__find_program_by_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        nextProgram = handle(lib, "bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        programName = handle(lib, "bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programFd = handle(lib, "bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        programSetAutoload = handle(lib, "bpf_program__set_autoload",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        attachStructOps = handleErrno(lib, "bpf_map__attach_struct_ops", FunctionDescriptor.of(ADDRESS, ADDRESS));
        attachProgram = handleErrno(lib, "bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
        linkDestroy = handle(lib, "bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        linkFd = handle(lib, "bpf_link__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        objectBtf = handle(lib, "bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));
        btfFindByNameKind = handle(lib, "btf__find_by_name_kind",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        btfTypeById = handle(lib, "btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        btfNameByOffset = handle(lib, "btf__name_by_offset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        mapLookupAndDeleteElem = handle(lib, "bpf_map_lookup_and_delete_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        mapUpdateElem = handle(lib, "bpf_map_update_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        setPrint = handle(lib, "libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
        installPrint();
    }

    /** The loaded library; finds and loads it on first use. Throws BpfException saying what was tried. */
    public static Libbpf get() {
        Libbpf l = instance;
        if (l != null) return l;
        synchronized (Libbpf.class) {
            if (instance != null) return instance;
            if (failure != null) throw new BpfException(failure);
            try {
                instance = load();
                return instance;
            } catch (BpfException e) {
                failure = e.getMessage();
                throw e;
            }
        }
    }

    /** "1.5.0" or similar. */
    public String version() {
        return version;
    }

    /** The file that was loaded. */
    public String path() {
        return path;
    }

    /** Where it came from: "system property scx_javaland.libbpf", "bundled", "system". */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "libbpf " + version + " (" + source + ", " + path + ")";
    }

    private static Libbpf load() {
        List<String> tried = new ArrayList<>();
        String prop = System.getProperty(PATH_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            // an explicit choice: use it or fail, never fall back silently
            return open(prop.trim(), "system property " + PATH_PROPERTY);
        }
        try (InputStream in = Libbpf.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in != null) {
                try {
                    return open(extract(in).toString(), "bundled");
                } catch (BpfException e) {
                    tried.add(e.getMessage());
                }
            } else {
                tried.add("no " + BUNDLED_RESOURCE + " on the class path (bpf-src jar)");
            }
        } catch (IOException e) {
            tried.add("cannot extract the bundled libbpf: " + e.getMessage());
        }
        try {
            return open("libbpf.so.1", "system");
        } catch (BpfException e) {
            tried.add(e.getMessage());
        }
        throw new BpfException("no usable libbpf >= " + MIN_MAJOR + "." + MIN_MINOR + " (set -D" + PATH_PROPERTY
                + "=/path/to/libbpf.so): " + String.join("; ", tried));
    }

    static Libbpf open(String path, String source) {
        Arena arena = Arena.ofShared();
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(path.contains("/") ? Path.of(path).toString() : path, arena);
        } catch (IllegalArgumentException e) {
            arena.close();
            throw new BpfException("cannot load libbpf " + path + " (" + source + "): " + e.getMessage());
        }
        try {
            return new Libbpf(lib, path, source);
        } catch (BpfException | IllegalArgumentException | java.util.NoSuchElementException e) {
            arena.close(); // dlclose: a refused library does not stay in the process
            throw e instanceof BpfException b ? b : new BpfException("libbpf " + path + " (" + source + "): " + e);
        }
        // on success the arena stays open for the life of the process
    }

    private static Path extract(InputStream in) throws IOException {
        Path dir = Files.createTempDirectory("scx_javaland-libbpf-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        dir.toFile().deleteOnExit();
        Path so = dir.resolve("libbpf.so");
        Files.copy(in, so, StandardCopyOption.REPLACE_EXISTING);
        so.toFile().deleteOnExit(); // deleteOnExit runs in reverse order: the file goes before its directory
        return so;
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return Ffm.LINKER.downcallHandle(lib.findOrThrow(name), fd);
    }

    private static MethodHandle handleErrno(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return Ffm.downcallErrno(lib.findOrThrow(name), fd);
    }

    // ---- log ------------------------------------------------------------------------------------------------

    private static volatile LogSink sink = DEFAULT_SINK;
    private static final ArrayDeque<String> WARNINGS = new ArrayDeque<>();
    private static long warningSeq;

    /** Routes libbpf's log lines to {@code newSink} (null restores the default). */
    public static void setLogSink(LogSink newSink) {
        sink = newSink == null ? DEFAULT_SINK : newSink;
    }

    /** A mark for {@link #warningsSince(long)}. */
    public static long warningMark() {
        synchronized (WARNINGS) {
            return warningSeq;
        }
    }

    /** The kept warning lines (at most the last 50) logged after {@code mark}, joined by newlines. */
    public static String warningsSince(long mark) {
        synchronized (WARNINGS) {
            long n = Math.min(warningSeq - mark, WARNINGS.size());
            StringBuilder sb = new StringBuilder();
            int skip = (int) (WARNINGS.size() - n);
            for (String s : WARNINGS) {
                if (skip-- > 0) continue;
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(s);
            }
            return sb.toString();
        }
    }

    private static void keepWarning(String line) {
        synchronized (WARNINGS) {
            if (WARNINGS.size() == KEPT_WARNINGS) WARNINGS.removeFirst();
            WARNINGS.addLast(line);
            warningSeq++;
        }
    }

    private static final MethodHandle VASPRINTF = Ffm.libc("vasprintf",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FREE = Ffm.libc("free", FunctionDescriptor.ofVoid(ADDRESS));

    /** The libbpf_print_fn_t upcall: formats with vasprintf (the va_list can be consumed only once). */
    @SuppressWarnings("unused")
    private static int print(int level, MemorySegment format, MemorySegment vaList) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment strp = a.allocate(ADDRESS);
            int n = (int) VASPRINTF.invokeExact(strp, format, vaList);
            if (n < 0) return 0;
            MemorySegment s = strp.get(ADDRESS, 0);
            String text = s.reinterpret(n + 1L).getString(0);
            FREE.invokeExact(s);
            LogSink out = sink;
            for (String line : text.split("\n")) {
                if (line.isEmpty()) continue;
                if (level == LEVEL_WARN) keepWarning(line);
                out.log(level, line);
            }
        } catch (Throwable t) {
            // never let an exception unwind into C
        }
        return 0;
    }

    private void installPrint() {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(Libbpf.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = Ffm.LINKER.upcallStub(target,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), arena);
            MemorySegment ignored = (MemorySegment) setPrint.invokeExact(stub);
        } catch (Throwable t) {
            throw new BpfException("libbpf_set_print failed: " + t);
        }
    }

    static String cString(MemorySegment p) {
        return Objects.equals(p, MemorySegment.NULL) || p.address() == 0 ? null : p.reinterpret(4096).getString(0);
    }
}
