#!/bin/bash
# SPDX-License-Identifier: MIT
# The tree stays clean: sparse on every file (make C=2) and the project's
# coccinelle rules (make coccicheck) report nothing; every source file
# carries its SPDX line; Kconfig parses for menuconfig's kconfiglib too;
# every Documentation page parses as reStructuredText without a warning.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

out=$(make -s C=2 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "sparse: make C=2 succeeds" [ "$rc" -eq 0 ]
check "sparse: no warning on any file" [ -z "$out" ]

out=$(make -s coccicheck 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "coccicheck: clean" [ "$rc" -eq 0 ]

missing=$(git ls-files '*.c' '*.h' '*.S' '*.sh' '*.cocci' 'Makefile' '*/Makefile' 'Kconfig*' '*/Kconfig*' 'scripts/*' |
	while read -r f; do
		[ -f "$f" ] || continue
		head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"
	done)
[ -n "$missing" ] && echo "$missing" | sed 's/^/    | no SPDX: /'
check "spdx: every source file has the MIT SPDX line" [ -z "$missing" ]

kc=$(srctree=$TOP KERNELVERSION=0 /usr/bin/python3 -c '
import kconfiglib
k = kconfiglib.Kconfig("Kconfig", warn_to_stderr=False)
print(len(k.unique_defined_syms), len(k.warnings))' 2>&1)
echo "    | kconfiglib: $kc"
check "kconfig: menuconfig's parser reads Kconfig without warnings" \
	bash -c '[[ $1 =~ ^[0-9]+\ 0$ ]]' _ "$kc"

# Documentation/ is reStructuredText: every page must parse with no
# warning (a malformed table or title silently loses text when rendered).
rst=$(/usr/bin/python3 - Documentation/*.rst <<'PY' 2>&1
import io, sys
from docutils.core import publish_doctree
for f in sys.argv[1:]:
    err = io.StringIO()
    try:
        publish_doctree(open(f).read(), source_path=f, settings_overrides={
            "warning_stream": err, "report_level": 2, "halt_level": 5})
    except Exception as e:
        err.write(str(e))
    for line in err.getvalue().splitlines()[:3]:
        print(line)
PY
)
[ -n "$rst" ] && echo "$rst" | sed 's/^/    | /'
check "rst: every Documentation page parses without a warning" [ -z "$rst" ]

cfg=$(mktemp -d)
cp .config "$cfg/saved"
make -s savedefconfig >/dev/null 2>&1 && check "kconfig: savedefconfig round-trips" \
	bash -c "KCONFIG_CONFIG=$cfg/new make -s defconfig DEFCONFIG=defconfig >/dev/null 2>&1 && diff <(grep =y $cfg/saved) <(grep =y $cfg/new) >/dev/null"
rm -f defconfig
rm -rf "$cfg"
