package org.scxjavaland.transport.ringbuf;

/**
 * The shared memory of a ring holds what the protocol cannot produce: positions that are not 8-byte aligned, a
 * consumer behind the producer by more than the ring or ahead of it, or a record longer than what the producer
 * published. The kernel's own reader of a user ring refuses the same states (EINVAL/E2BIG in
 * {@code __bpf_user_ringbuf_peek}). Nothing in the ring can be trusted after that, so the reader or writer stops
 * where it is: the exception propagates out of the scheduling loop, the session detaches and the daemon exits 1
 * with this message. The ring's state is left as it was, so every later call throws again.
 */
public final class CorruptRingException extends IllegalStateException {
    CorruptRingException(String message) {
        super(message);
    }
}
