# SPDX-License-Identifier: MIT
#
# tern top-level Makefile.  Kbuild-shaped: configuration comes from Kconfig
# (processed by Debian's linux-kbuild-6.1 'conf'), every directory lists its
# objects as "obj-$(CONFIG_X) += x.o", one per line, and scripts/Makefile.build
# descends into them.  Two worlds are built:
#
#   kernel:  the PV guest image 'tern' (freestanding, no libc, -mcmodel=large)
#   host:    the hypervisor library hv/ and the toolstack CLI 'tern-xl'
#
# Targets: defconfig menuconfig oldconfig olddefconfig all check bench
#          coccicheck rig-check clean mrproper help;  C=1/C=2 runs sparse.

VERSION = 0
PATCHLEVEL = 1
SUBLEVEL = 0
KERNELVERSION = $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)
export KERNELVERSION

srctree := $(CURDIR)
export srctree

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif
export Q

# make -s: no progress lines either.
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
quiet := 1
endif
export quiet
msg = $(if $(quiet),@:,@printf '  %-7s %s\n' $(1) $(2))

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
LD := ld
AR := ar
HOSTCC := gcc
CHECK := sparse
export CC LD AR HOSTCC CHECK

KCONFIG_DIR ?= /usr/lib/linux-kbuild-6.1/scripts/kconfig
KCONF := $(KCONFIG_DIR)/conf
DEFCONFIG ?= configs/tern_defconfig
export KCONFIG_CONFIG ?= .config
export KCONFIG_AUTOCONFIG := include/config/auto.conf
export KCONFIG_AUTOHEADER := include/generated/autoconf.h
export KCONFIG_RUSTCCFG := include/generated/rustc_cfg

# Kernel flags: freestanding, no red zone (we take events on the kernel stack),
# no SSE (the hypervisor does not preserve it for us across upcalls), large
# code model because the image lives at 16 TiB.
KBUILD_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -Iarch/x86/include -include include/linux/kconfig.h \
	-D__KERNEL__ -mcmodel=large -fno-pic -fno-pie -mno-red-zone \
	-mgeneral-regs-only -mno-sse -mno-mmx -mno-avx \
	-fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-common -fno-asynchronous-unwind-tables -fcf-protection=none \
	-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -Werror=implicit-function-declaration \
	-Werror
KBUILD_AFLAGS := -D__ASSEMBLY__ -D__KERNEL__ -Iinclude -Iarch/x86/include \
	-include include/linux/kconfig.h
KBUILD_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments

# Host flags: hv/ and tools/ are ordinary Linux programs.
HOST_CFLAGS := -std=gnu11 -O2 -g -D_GNU_SOURCE -pthread -I. -idirafter include \
	-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -Werror
HOST_LDFLAGS := -pthread
# HOST_SAN=ubsan: hv/, tools/ and the host tests built with UBSan, every
# finding fatal (make ubsan-check builds a copy of the tree so).
ifeq ($(HOST_SAN),ubsan)
HOST_SANFLAGS := -fsanitize=undefined -fno-sanitize-recover=undefined
endif
HOST_CFLAGS += $(HOST_SANFLAGS)
HOST_LDFLAGS += $(HOST_SANFLAGS)
export HOST_SANFLAGS
# Debian's libraries the toolstack uses, found through their .pc files:
# libxlutil (xl.cfg files), libxenstore (the xenstore client), libyajl
# (JSON).  None of them needs Xen to run (scripts/install-deps).
HOST_PKGS := xlutil xenstore yajl
HOST_LIBS := $(shell pkg-config --libs $(HOST_PKGS) 2>/dev/null)
export HOST_PKGS HOST_LIBS

CHECKFLAGS := -D__x86_64__ -m64 -Wbitwise -Wno-return-void -Wno-unknown-attribute \
	-Wno-decl -Wno-transparent-union
export KBUILD_CFLAGS KBUILD_AFLAGS HOST_CFLAGS CHECKFLAGS C

kernel-dirs := init arch/x86 kernel lib mm drivers selftests/guest
host-dirs := hv tools
# The xenstore daemon is a program of its own, kept out of tern-xl.
xsd-dir := tools/xenstored

config-targets := defconfig menuconfig oldconfig olddefconfig savedefconfig \
	%_defconfig syncconfig
no-config-targets := clean mrproper help distclean kernelversion fuzz ubsan-check $(config-targets)

.PHONY: all tern host-tools run check bench fuzz coccicheck ubsan-check rig-check race-check rig-soak suspend-soak race-check-hv \
	sr-soak sr-race-check \
	migrate-soak \
	offline-soak \
	clean mrproper \
	defconfig menuconfig oldconfig olddefconfig savedefconfig kernelversion \
	help FORCE prepare $(kernel-dirs) $(host-dirs) $(xsd-dir)

all: tern tern-xl tern-xenstored

# Goals that must not need (or rebuild) include/config/auto.conf.
skip-config :=
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(no-config-targets) coccicheck,$(MAKECMDGOALS)),)
skip-config := 1
endif
endif

# ---- configuration ---------------------------------------------------------
$(KCONFIG_CONFIG):
	@echo "*** No .config: run 'make defconfig' (or 'make menuconfig') first." >&2
	@false

include/config/auto.conf include/generated/autoconf.h: .config $(shell find . -name Kconfig -not -path './.git/*')
	$(Q)mkdir -p include/config include/generated
	$(Q)$(KCONF) --syncconfig Kconfig

defconfig: $(KCONF)
	$(Q)$(KCONF) --defconfig=$(DEFCONFIG) Kconfig

%_defconfig: $(KCONF)
	$(Q)$(KCONF) --defconfig=configs/$@ Kconfig

oldconfig olddefconfig: $(KCONF)
	$(Q)$(KCONF) --$@ Kconfig

savedefconfig: $(KCONF)
	$(Q)$(KCONF) --savedefconfig=defconfig Kconfig

menuconfig:
	$(Q)/usr/bin/python3 -m menuconfig Kconfig

$(KCONF):
	@echo "*** $(KCONF) missing: apt-get install linux-kbuild-6.1" >&2
	@false

ifeq ($(skip-config),)
-include include/config/auto.conf
endif

# ---- kernel ------------------------------------------------------------------
prepare: include/generated/autoconf.h include/generated/version.h

include/generated/version.h: Makefile
	$(Q)mkdir -p include/generated
	$(Q)printf '#define TERN_VERSION "%s"\n' "$(KERNELVERSION)" > $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(kernel-dirs): prepare
	$(Q)$(MAKE) -f scripts/Makefile.build obj=$@ world=kernel

$(host-dirs): host-libs
$(host-dirs) $(xsd-dir): prepare
	$(Q)$(MAKE) -f scripts/Makefile.build obj=$@ world=host

LDS := arch/x86/kernel/tern.lds
$(LDS): $(LDS).S prepare
	$(Q)$(CC) -E -P $(KBUILD_AFLAGS) -o $@ $<

kernel-archives := $(addsuffix /built-in.a,$(kernel-dirs))
tern: $(kernel-dirs) $(LDS)
	$(call msg,LD,$@)
	$(Q)$(LD) $(KBUILD_LDFLAGS) -T $(LDS) -o $@ --whole-archive $(kernel-archives) --no-whole-archive
	$(Q)nm -n $@ | grep -v '\( [aNUw] \)\|\(__crc_\)\|\( \$$[adt]\)' > System.map

host-archives := hv/built-in.a
# tern-xl: the CLI and the toolstack libraries (tools/), and the hypervisor
# it becomes for the domain it creates.
tern-xl: $(host-dirs)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) -o $@ tools/built-in.a $(host-archives) \
		$(HOST_LIBS)

.PHONY: host-libs
host-libs:
	$(Q)pkg-config --exists $(HOST_PKGS) || { echo "*** pkg-config does not find $(HOST_PKGS) (libxen-dev, libyajl-dev): run scripts/install-deps" >&2; false; }

# The daemon shares the run directory's rules with the store library.
tern-xenstored: $(xsd-dir) tools
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) -o $@ $(xsd-dir)/built-in.a \
		tools/libs/store/built-in.a

# ---- run -------------------------------------------------------------------------
run: all
	$(Q)scripts/run-demo

# ---- tests and checks ----------------------------------------------------------
check: all
	$(Q)$(MAKE) -C selftests/host run

bench: all
	$(Q)$(MAKE) -C selftests/host bench

# Suspend and resume on the host hypervisor, SUSPEND_SOAK_CYCLES times
# under ptstress on 4 vCPUs with the MMU audit (make check runs 50).
SUSPEND_SOAK_CYCLES ?= 1000
suspend-soak: all
	$(Q)selftests/host/suspend-loop -q -a -v 4 -n $(SUSPEND_SOAK_CYCLES)

# Page offline (issue 14): OFFLINE_SOAK_PAGES frames offlined under ptstress.
OFFLINE_SOAK_PAGES ?= 1000
offline-soak: all
	$(Q)$(MAKE) -C selftests/host build
	$(Q)OFFLINE_PAGES=$(OFFLINE_SOAK_PAGES) selftests/host/t_offline_page.sh

# The fuzzers (clang, libFuzzer): the PV MMU and the restore of a stream,
# each FUZZ_TIME seconds in FUZZ_JOBS processes.
FUZZ_TIME ?= 60
FUZZ_JOBS ?= 1
fuzz:
	$(Q)$(MAKE) -C selftests/fuzz run FUZZ_TIME=$(FUZZ_TIME) FUZZ_JOBS=$(FUZZ_JOBS) \
		$(if $(FUZZERS),FUZZERS="$(FUZZERS)")

coccicheck:
	$(Q)scripts/coccicheck

# make check again with hv/, tools/ and the host tests under UBSan, in a
# worktree of its own (scripts/ubsan-check).
ubsan-check:
	$(Q)scripts/ubsan-check

rig-check: all
	$(Q)selftests/rig/rig-check

# Test builds without one suspend safeguard each must be caught on Xen.
race-check: all
	$(Q)selftests/rig/race-check

# The same test builds on the host hypervisor, suspended and resumed in place.
race-check-hv: all
	$(Q)selftests/host/race-check-hv

# Save/restore on the host hypervisor at the issue's full counts.
SR_SOAK_CYCLES ?= 100
SR_SOAK_CHECKPOINTS ?= 1000
sr-soak: all
	$(Q)$(MAKE) -C selftests/host build
	$(Q)selftests/host/sr-loop $(SR_SOAK_CYCLES) $(SR_SOAK_CHECKPOINTS)

# Test builds without one suspend safeguard each must be caught on hv too.
sr-race-check: all
	$(Q)$(MAKE) -C selftests/host build
	$(Q)selftests/host/sr-race-check

# Live migration on the host hypervisor at the issue's full counts:
# MIGRATE_SOAK_CYCLES migrations A -> B -> C -> A, then MIGRATE_SOAK_KILLS
# receivers killed at random points (make check runs 10 and 3).
MIGRATE_SOAK_CYCLES ?= 100
MIGRATE_SOAK_KILLS ?= 10
migrate-soak: all
	$(Q)$(MAKE) -C selftests/host build
	$(Q)selftests/host/migrate-loop $(MIGRATE_SOAK_CYCLES) $(MIGRATE_SOAK_KILLS)

# The default build through SOAK_CYCLES migrations on Xen, each checked.
SOAK_CYCLES ?= 100
rig-soak: all
	$(Q)RIG_GUESTS=tern RIG_STEPS=race RIG_COMPARE=0 RACE_EXPECT=clean \
		RACE_CYCLES=$(SOAK_CYCLES) TIMEOUT=$$((300 + 20 * $(SOAK_CYCLES))) \
		selftests/rig/rig-check

# ---- cleaning ------------------------------------------------------------------
clean:
	$(Q)find . -path ./.git -prune -o \( -name '*.o' -o -name '*.a' -o -name '*.d' \
		-o -name '*.cmd' \) -type f -print | xargs rm -f
	$(Q)rm -f tern tern-xl tern-xenstored System.map $(LDS)
	$(Q)$(MAKE) -C selftests/host clean
	$(Q)$(MAKE) -C selftests/fuzz clean

mrproper distclean: clean
	$(Q)rm -rf .config .config.old include/config include/generated

help:
	@echo 'Configuration: defconfig menuconfig oldconfig olddefconfig savedefconfig'
	@echo 'Build:         all (tern, tern-xl, tern-xenstored)   V=1 verbose   C=1 sparse'
	@echo 'Run:           run (tern on 4 vCPUs under ptstress, live: configs/run.cfg)'
	@echo 'Test:          check  coccicheck  bench  rig-check (Xen 4.17 under QEMU)'
	@echo '               suspend-soak (SUSPEND_SOAK_CYCLES suspend/resume cycles on hv)'
	@echo '               race-check (builds without a suspend safeguard are caught)'
	@echo '               race-check-hv (the same builds, caught on the host hypervisor)'
	@echo '               rig-soak (SOAK_CYCLES migrations on Xen)'
	@echo '               sr-soak (SR_SOAK_CYCLES save/restores, SR_SOAK_CHECKPOINTS checkpoints on hv)'
	@echo '               sr-race-check (builds without a suspend safeguard, caught on hv)'
	@echo '               migrate-soak (MIGRATE_SOAK_CYCLES live migrations, MIGRATE_SOAK_KILLS killed receivers on hv)'
	@echo '               offline-soak (OFFLINE_SOAK_PAGES page offlines on hv)'
	@echo '               fuzz (PV MMU and restore, FUZZ_TIME=seconds FUZZ_JOBS=n FUZZERS=...)'
	@echo 'Clean:         clean  mrproper'

kernelversion:
	@echo $(KERNELVERSION)
