package org.scxjavaland.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library calls the daemon needs (x86-64 Linux, glibc). Every failure becomes an {@link ErrnoException};
 * none of the calls allocates on the Java heap unless it returns an object (records for cold paths).
 */
public final class LibC {
    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
    public static final int MCL_CURRENT = 1, MCL_FUTURE = 2;
    public static final int MADV_WILLNEED = 3, MADV_NOHUGEPAGE = 15;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final int PR_SET_THP_DISABLE = 41, PR_GET_THP_DISABLE = 42;
    public static final long RLIM_INFINITY = -1L;
    public static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_IDLE = 5, SCHED_EXT = 7;
    public static final int RUSAGE_SELF = 0, RUSAGE_THREAD = 1;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    public static final int MFD_CLOEXEC = 1;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int SIGHUP = 1, SIGINT = 2, SIGTERM = 15, SIGWINCH = 28;
    /** Dispositions of {@link #signal}: the default action, or ignore the signal. */
    public static final long SIG_DFL = 0, SIG_IGN = 1;

    private static final long SYS_GETTID = 186;

    private static final MethodHandle MMAP = Ffm.libcErrno("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Ffm.libcErrno("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MLOCK = Ffm.libcErrno("mlock",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MUNLOCK = Ffm.libcErrno("munlock",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MLOCKALL = Ffm.libcErrno("mlockall", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PRCTL = Ffm.libcErrno("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MADVISE = Ffm.libcErrno("madvise",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETRLIMIT = Ffm.libcErrno("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = Ffm.libcErrno("setrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle GETPID = Ffm.libc("getpid", FunctionDescriptor.of(JAVA_INT),
            Linker.Option.critical(false));
    private static final MethodHandle GETEUID = Ffm.libc("geteuid", FunctionDescriptor.of(JAVA_INT),
            Linker.Option.critical(false));
    private static final MethodHandle SYSCALL0 = Ffm.libc("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SIGNAL = Ffm.libcErrno("signal",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle SCHED_SETSCHEDULER = Ffm.libcErrno("sched_setscheduler",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SCHED_GETSCHEDULER = Ffm.libcErrno("sched_getscheduler",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SCHED_YIELD = Ffm.libc("sched_yield", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle GETRUSAGE = Ffm.libcErrno("getrusage",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_CREATE1 = Ffm.libcErrno("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = Ffm.libcErrno("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = Ffm.libcErrno("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_WAIT_NO_ERRNO = Ffm.libc("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = Ffm.libcErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = Ffm.libcErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = Ffm.libcErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle EVENTFD = Ffm.libcErrno("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = Ffm.libcErrno("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = Ffm.libcErrno("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CLOCK_GETTIME = Ffm.libc("clock_gettime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.critical(false));
    private static final MethodHandle UNAME = Ffm.libcErrno("uname", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle GETPAGESIZE = Ffm.libc("getpagesize", FunctionDescriptor.of(JAVA_INT),
            Linker.Option.critical(false));

    private static final int PAGE_SIZE;

    static {
        try {
            PAGE_SIZE = (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    private LibC() {
    }

    public static int pageSize() {
        return PAGE_SIZE;
    }

    // ---- memory ---------------------------------------------------------------------------------------------

    /** mmap(NULL, ...): the mapping as a segment of {@code len} bytes (unmap it with {@link #munmap}). */
    public static MemorySegment mmap(long len, int prot, int flags, int fd, long offset) {
        return mmap(MemorySegment.NULL, len, prot, flags, fd, offset);
    }

    /** mmap with an address hint (or MAP_FIXED target): the mapping as a segment of {@code len} bytes. */
    public static MemorySegment mmap(MemorySegment addr, long len, int prot, int flags, int fd, long offset) {
        MemorySegment cap = Ffm.threadCapture();
        MemorySegment r;
        try {
            r = (MemorySegment) MMAP.invokeExact(cap, addr, len, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r.address() == -1L) {
            throw new ErrnoException("mmap(len=" + len + ", prot=" + prot + ", flags=0x" + Integer.toHexString(flags)
                    + ", fd=" + fd + ", offset=" + offset + ")", Ffm.errno(cap));
        }
        return r.reinterpret(len);
    }

    /** Unmaps a segment returned by {@link #mmap} (its whole byteSize). */
    public static void munmap(MemorySegment seg) {
        munmap(seg, seg.byteSize());
    }

    public static void munmap(MemorySegment addr, long len) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) MUNMAP.invokeExact(cap, addr, len);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r != 0) throw new ErrnoException("munmap(len=" + len + ")", Ffm.errno(cap));
    }

    public static void mlock(MemorySegment seg) {
        check(rangeCall(MLOCK, seg), "mlock(len=" + seg.byteSize() + ")");
    }

    public static void munlock(MemorySegment seg) {
        check(rangeCall(MUNLOCK, seg), "munlock(len=" + seg.byteSize() + ")");
    }

    /** mlockall(MCL_CURRENT | MCL_FUTURE) and the like. */
    public static void mlockall(int flags) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) MLOCKALL.invokeExact(cap, flags);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r != 0) throw new ErrnoException("mlockall(" + flags + ")", Ffm.errno(cap));
    }

    public static void madvise(MemorySegment seg, int advice) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) MADVISE.invokeExact(cap, seg, seg.byteSize(), advice);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r != 0) throw new ErrnoException("madvise(len=" + seg.byteSize() + ", " + advice + ")", Ffm.errno(cap));
    }

    /** prctl(option, arg2, 0, 0, 0): its result (for the PR_GET_* options), or an {@link ErrnoException}. */
    public static int prctl(int option, long arg2) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) PRCTL.invokeExact(cap, option, arg2, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r < 0) throw new ErrnoException("prctl(" + option + ", " + arg2 + ")", Ffm.errno(cap));
        return r;
    }

    private static long rangeCall(MethodHandle h, MemorySegment seg) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) h.invokeExact(cap, seg, seg.byteSize());
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        return r == 0 ? 0 : -Ffm.errno(cap);
    }

    private static void check(long negErrno, String what) {
        if (negErrno < 0) throw new ErrnoException(what, (int) -negErrno);
    }

    // ---- limits ---------------------------------------------------------------------------------------------

    /** A resource limit; {@link #RLIM_INFINITY} (-1) means unlimited. */
    public record RLimit(long current, long max) {
        public boolean unlimited() {
            return current == RLIM_INFINITY;
        }
    }

    public static RLimit getrlimit(int resource) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rl = a.allocate(16, 8);
            int r = (int) GETRLIMIT.invokeExact(cap, resource, rl);
            if (r != 0) throw new ErrnoException("getrlimit(" + resource + ")", Ffm.errno(cap));
            return new RLimit(rl.get(JAVA_LONG, 0), rl.get(JAVA_LONG, 8));
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    public static void setrlimit(int resource, long current, long max) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rl = a.allocate(16, 8);
            rl.set(JAVA_LONG, 0, current);
            rl.set(JAVA_LONG, 8, max);
            int r = (int) SETRLIMIT.invokeExact(cap, resource, rl);
            if (r != 0) {
                throw new ErrnoException("setrlimit(" + resource + ", " + current + ", " + max + ")", Ffm.errno(cap));
            }
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    // ---- processes and scheduling ---------------------------------------------------------------------------

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /** The effective user id (0 = root). */
    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /** The kernel thread id of the calling thread (what sched_ext calls pid). */
    public static int gettid() {
        try {
            return (int) (long) SYSCALL0.invokeExact(SYS_GETTID);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * signal(2) with {@link #SIG_DFL} or {@link #SIG_IGN}: sets what the process does on {@code signo} and returns
     * the previous disposition (SIG_DFL, SIG_IGN or a handler's address). Handlers are sun.misc.Signal's business;
     * this is for what the JVM leaves alone, such as a shutdown signal the process inherited as ignored.
     */
    public static long signal(int signo, long disposition) {
        MemorySegment cap = Ffm.threadCapture();
        MemorySegment r;
        try {
            r = (MemorySegment) SIGNAL.invokeExact(cap, signo, MemorySegment.ofAddress(disposition));
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r.address() == -1L) throw new ErrnoException("signal(" + signo + ")", Ffm.errno(cap)); // SIG_ERR
        return r.address();
    }

    /** sched_setscheduler(pid, policy, {priority}); pid 0 = the calling thread. */
    public static void schedSetscheduler(int pid, int policy, int priority) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment param = a.allocate(JAVA_INT);
            param.set(JAVA_INT, 0, priority);
            int r = (int) SCHED_SETSCHEDULER.invokeExact(cap, pid, policy, param);
            if (r != 0) {
                throw new ErrnoException("sched_setscheduler(" + pid + ", " + policy + ", " + priority + ")",
                        Ffm.errno(cap));
            }
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    public static int schedGetscheduler(int pid) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) SCHED_GETSCHEDULER.invokeExact(cap, pid);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r < 0) throw new ErrnoException("sched_getscheduler(" + pid + ")", Ffm.errno(cap));
        return r;
    }

    public static void schedYield() {
        try {
            int ignored = (int) SCHED_YIELD.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /** getrusage(who) into a reusable holder (no allocation). */
    public static void getrusage(int who, RUsage into) {
        into.read(who);
    }

    // ---- file descriptors -----------------------------------------------------------------------------------

    public static void close(int fd) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) CLOSE.invokeExact(cap, fd);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r != 0) throw new ErrnoException("close(" + fd + ")", Ffm.errno(cap));
    }

    /** Closes and ignores failure: for cleanup paths where an earlier error matters more. */
    public static void closeQuietly(int fd) {
        if (fd < 0) return;
        try {
            int ignored = (int) CLOSE.invokeExact(Ffm.threadCapture(), fd);
        } catch (Throwable ignored) {
            // nothing useful to do
        }
    }

    public static int epollCreate1(int flags) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) EPOLL_CREATE1.invokeExact(cap, flags);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r < 0) throw new ErrnoException("epoll_create1(" + flags + ")", Ffm.errno(cap));
        return r;
    }

    /** epoll_ctl with a packed 12-byte epoll_event {events, data}. */
    public static void epollCtl(int epfd, int op, int fd, int events, long data) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ev = a.allocate(EpollEvents.EVENT_SIZE, 8);
            ev.set(JAVA_INT, 0, events);
            ev.set(EpollEvents.DATA_LAYOUT, 4, data);
            int r = (int) EPOLL_CTL.invokeExact(cap, epfd, op, fd, ev);
            if (r != 0) {
                throw new ErrnoException("epoll_ctl(" + epfd + ", op " + op + ", fd " + fd + ")", Ffm.errno(cap));
            }
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * epoll_wait into {@code events}; returns the number of ready events, 0 on timeout or when a signal
     * interrupted the wait (EINTR). Allocates nothing in any tier, interpreter included: the scheduling thread
     * waits here between batches, and a wait sent back to C1 code by a deoptimization must not allocate either.
     * <p>
     * So the call does not capture errno. With {@code captureCallState} the linker slices the capture segment on
     * every call ({@code SharedUtils.checkCaptureSegment}: a new segment object that only C2's escape analysis
     * removes); in the VM that was 19 bytes per record for the rest of a run whenever the wait ran C1 code
     * (docs/reliability.md, "The scheduling thread's allocation in the VM"). A failure is asked again instead, see
     * {@link #epollWaitFailed}.
     */
    public static int epollWait(int epfd, EpollEvents events, int timeoutMs) {
        int r;
        try {
            r = (int) EPOLL_WAIT_NO_ERRNO.invokeExact(epfd, events.segment, events.capacity(), timeoutMs);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        return r >= 0 ? r : epollWaitFailed(epfd, events);
    }

    /**
     * epoll_wait failed, and errno was not captured (it is not reliable once back in Java: a safepoint in between
     * may overwrite it). Its persistent failures (EBADF, EINVAL, EFAULT: a bad descriptor or buffer) fail again on
     * a non-blocking repeat, now with errno captured; the transient one, EINTR, does not, and then the repeat's
     * ready events are as good as the first call's would have been. Only this rare path allocates.
     */
    static int epollWaitFailed(int epfd, EpollEvents events) {
        MemorySegment cap = events.capture;
        int r;
        try {
            r = (int) EPOLL_WAIT.invokeExact(cap, epfd, events.segment, events.capacity(), 0);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r >= 0) return r;
        int e = Ffm.errno(cap);
        if (e == Errno.EINTR) return 0;
        throw new ErrnoException("epoll_wait(" + epfd + ")", e);
    }

    public static int eventfd(int initval, int flags) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) EVENTFD.invokeExact(cap, initval, flags);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r < 0) throw new ErrnoException("eventfd(" + initval + ", " + flags + ")", Ffm.errno(cap));
        return r;
    }

    /** Adds {@code value} to an eventfd counter. */
    public static void eventfdWrite(int fd, long value) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(JAVA_LONG);
            buf.set(JAVA_LONG, 0, value);
            long r = (long) WRITE.invokeExact(cap, fd, buf, 8L);
            if (r != 8) throw new ErrnoException("write(eventfd " + fd + ")", Ffm.errno(cap));
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /** Reads (and resets) an eventfd counter; returns 0 for a non-blocking eventfd that is not ready (EAGAIN). */
    public static long eventfdRead(int fd) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(JAVA_LONG);
            long r = (long) READ.invokeExact(cap, fd, buf, 8L);
            if (r != 8) {
                int e = Ffm.errno(cap);
                if (e == Errno.EAGAIN) return 0;
                throw new ErrnoException("read(eventfd " + fd + ")", e);
            }
            return buf.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    public static int memfdCreate(String name, int flags) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            int r = (int) MEMFD_CREATE.invokeExact(cap, a.allocateFrom(name), flags);
            if (r < 0) throw new ErrnoException("memfd_create(" + name + ")", Ffm.errno(cap));
            return r;
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    public static void ftruncate(int fd, long length) {
        MemorySegment cap = Ffm.threadCapture();
        int r;
        try {
            r = (int) FTRUNCATE.invokeExact(cap, fd, length);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r != 0) throw new ErrnoException("ftruncate(" + fd + ", " + length + ")", Ffm.errno(cap));
    }

    // ---- clocks and system ----------------------------------------------------------------------------------

    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    /** clock_gettime(clock) in nanoseconds; CLOCK_MONOTONIC matches the kernel's ktime (bpf_ktime_get_ns). */
    public static long clockGettimeNanos(int clock) {
        MemorySegment ts = TIMESPEC.get();
        int r;
        try {
            r = (int) CLOCK_GETTIME.invokeExact(clock, ts);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r != 0) throw new IllegalArgumentException("clock_gettime(" + clock + ") failed");
        return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
    }

    /** uname(2): the fields of struct utsname. */
    public record Uname(String sysname, String nodename, String release, String version, String machine) {
    }

    public static Uname uname() {
        final long field = 65; // _UTSNAME_LENGTH on Linux
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment u = a.allocate(field * 6);
            int r = (int) UNAME.invokeExact(cap, u);
            if (r != 0) throw new ErrnoException("uname()", Ffm.errno(cap));
            return new Uname(u.getString(0), u.getString(field), u.getString(2 * field), u.getString(3 * field),
                    u.getString(4 * field));
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }
}
