# scx_javaland: the two commands a user needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
MVN := mvn -B -q --no-transfer-progress

.PHONY: all build run test test-host test-vm soak bench clean deps

all: build

# Apt packages the build and the tests need (CI runs this; on a developer machine it is a no-op once done).
deps:
	scripts/install-deps.sh

build:
	@test -n "$(JAVA_HOME)" || exit 1
	$(MVN) -DskipTests install
	scripts/make-aot-cache.sh

# On a kernel with sched_ext: run the scheduler here. Elsewhere: boot the VM and run it there under a demo load.
run: build
	scripts/run.sh

# Everything: unit and host tests (real BPF maps and programs, as root), then the VM end-to-end tests.
test: test-host test-vm

test-host:
	@test -n "$(JAVA_HOME)" || exit 1
	$(MVN) install

# The VM kernels make test-vm boots, one VM each (vm/kernels, docs/kernels.md): the newest Debian kernel with
# sched_ext runs every transport three times, the oldest one a short set.
E2E_KERNELS ?= $(shell sed 's/\#.*//' vm/kernels | xargs)

# The VM end-to-end tests (vm/e2e.sh, docs/vm.md).
test-vm: build
	E2E_KERNELS="$(E2E_KERNELS)" E2E_SCENARIOS="$${E2E_SCENARIOS:-ringbuf fifo auto-forced}" vm/e2e.sh

# Soak (not in make test): the daemon under mixed load in the VM for 10 minutes; stalls, RSS growth, GC pauses.
# make soak SOAK_ARGS="--minutes 30 --transport fifo"   (scripts/soak.sh --help)
soak: build
	scripts/soak.sh $(SOAK_ARGS)

bench: build
	scripts/bench.sh

clean:
	$(MVN) clean
	$(MAKE) -C bpf-src clean
