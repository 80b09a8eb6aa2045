# scx_javaland: the two commands a user needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
MVN := mvn -B -q --no-transfer-progress

.PHONY: all build install deb run test test-host test-vm hog-loop compare compare-short soak bench microbench clean deps

all: build

# Apt packages the build and the tests need, and the VM kernel: every target that builds runs it first, so `make run`
# and `make test` work on a fresh machine (as root); once done it checks and does nothing.
deps:
	scripts/install-deps.sh

build: deps
	@test -n "$(JAVA_HOME)" || exit 1
	$(MVN) -DskipTests install
	scripts/make-aot-cache.sh

# The daemon with a Java runtime of its own (jlink) and its AOT cache, the launcher, the systemd unit, the default
# environment file, the man page and the docs under $(DESTDIR)$(PREFIX) (scripts/install.sh, docs/operations.md).
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
install: build
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" SYSCONFDIR="$(SYSCONFDIR)" scripts/install.sh

# The Debian package scx-javaland in target/deb/ (dpkg-deb; scripts/make-deb.sh, docs/operations.md).
deb: build
	scripts/make-deb.sh

# On a kernel with sched_ext: run the scheduler here. Elsewhere: boot the VM and run it there under a demo load.
run: build
	scripts/run.sh

# Everything: unit and host tests (real BPF maps and programs, as root), then the VM end-to-end tests.
test: test-host test-vm

# Unit and host tests, then the package: built, installed with dpkg, checked and purged (scripts/check-deb.sh), then
# the smoke test of `scx_javaland ab`: one short round per transport, its JSON and HTML checked (scripts/check-ab.sh),
# then the daemon's scheduling thread checked for heap allocation after attaching, under bursts of load (with C2,
# then with C1 only), its loop checked to be C2-compiled before attaching, and its JIT deoptimizations after
# attaching reported (check-alloc.sh), then jcmd refused by a running daemon (check-attach.sh).
test-host: deps
	@test -n "$(JAVA_HOME)" || exit 1
	$(MVN) install
	scripts/check-deb.sh
	scripts/check-ab.sh
	scripts/check-alloc.sh
	scripts/check-attach.sh

# The VM kernels make test-vm boots, one VM each (vm/kernels, docs/kernels.md): the newest Debian kernel with
# sched_ext runs every transport and the fault checks, the oldest one a short set (ringbuf, fifo, the CI stress test).
E2E_KERNELS ?= $(shell sed 's/\#.*//' vm/kernels | xargs)
# The VM end-to-end tests (vm/e2e.sh, docs/vm.md): every transport under stress-ng, then the fault checks of
# docs/reliability.md (the sched_ext CI stress test 3 times, CPU hogs right after attach, a 3 s RT busy loop, CPU
# hotplug, kill -9, a tiny ring, SIGSTOP), then a bare `scx_javaland` read through its scx_stats socket by --monitor
# and a python3 client (stats-socket, docs/metrics.md), then the Debian package installed in the guest and started as its unit
# would start it, with the example policy jar in its flags (installed, docs/operations.md; the package is built first
# unless target/deb/ has a current one, the jar always: examples/policy/build.sh).
E2E_RELIABILITY_DEFAULT := ci-stress ci-stress ci-stress hogs rthog hotplug kill9 tiny-ring sigstop stats-socket installed
# Then the short same-boot comparison with the kernel's own scheduler: the weight bars are checked (nice 0:5 in
# [2.5, 4], alone and beside an RT thread per CPU, 0:19 >= 20, SCHED_IDLE < 5 %, the smaller of two hogs' shares beside
# an RT busy loop owning a CPU >= 0.8x EEVDF's); cyclictest's latency is reported beside EEVDF's. Last, the hang guard
# (vm/run.sh --hang-secs) on a guest whose heartbeat is stopped.
test-vm: build
	rel="$${E2E_RELIABILITY-$(E2E_RELIABILITY_DEFAULT)}"; \
	if [[ " $$rel " == *" installed "* ]]; then scripts/make-deb.sh --if-stale > /dev/null \
	  && examples/policy/build.sh target/example-policy.jar > /dev/null || exit 1; fi; \
	E2E_KERNELS="$(E2E_KERNELS)" E2E_SCENARIOS="$${E2E_SCENARIOS-ringbuf fifo auto-forced}" E2E_RUNS="$${E2E_RUNS:-1}" \
	  E2E_RELIABILITY="$$rel" vm/e2e.sh
	CMP_CHECK_WORKLOADS="nice5 nice5rt nice19 idle rthog" vm/compare.sh --short --check
	vm/hang-guard-test.sh

# 20 consecutive VM runs of the hog load that once hung the VM (2 hogs at nice 0, 2 at nice 5 right after attach);
# long (~30 min), not in make test; results in docs/reliability.md.
hog-loop: build
	E2E_KERNELS= E2E_SCENARIOS= E2E_RELIABILITY="$$(for i in $$(seq 20); do printf 'hogs '; done)" vm/e2e.sh

# Same-boot comparison, EEVDF vs scx_javaland (both transports), in one VM boot: 3 rounds of every workload, a table
# and JSON in vm/out/ (vm/compare.sh, docs/performance.md; ~25 min). COMPARE_ARGS adds options, e.g. --check.
compare: build
	vm/compare.sh $(COMPARE_ARGS)

# The short form (1 round of nice5 nice5rt nice19 idle rthog cyclictest, ringbuf only; ~7 min), meant for make test.
compare-short: build
	vm/compare.sh --short $(COMPARE_ARGS)

# Soak (not in make test): the daemon under mixed load in the VM for 10 minutes; stalls, RSS growth, GC pauses.
# make soak SOAK_ARGS="--minutes 30 --transport fifo"   (scripts/soak.sh --help)
soak: build
	scripts/soak.sh $(SOAK_ARGS)

bench: build
	scripts/bench.sh

# The transport micro-benchmark (issue 9): the Java ring and fifo consumers and producers against a C mmap consumer
# and libbpf, on the harness program, as root; a table and bench/results/microbench-*.json (docs/benchmarks.md).
# MICROBENCH_ARGS adds options, e.g. "--rounds=9 --records=4096".
microbench: deps
	@test -n "$(JAVA_HOME)" || exit 1
	MVN="$(MVN)" scripts/microbench.sh $(MICROBENCH_ARGS)

clean:
	$(MVN) clean
	$(MAKE) -C bpf-src clean
