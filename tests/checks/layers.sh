# The layer rules (tools/layers, README "Architecture") on the tree as built,
# and the checker itself shown to fail on planted violations: a forbidden
# include, a call circle between two pool files, a source folder the
# Makefile does not list. Sourced by tools/runtests.

layers_case() { # layers_case NAME EXPECTED-EXIT REGEX -- tools/layers ARGS...
	local name=$1 want=$2 re=$3 out rc
	shift 4
	if [ -n "${TESTS:-}" ] && ! [[ layers/$name =~ $TESTS ]]; then return 0; fi
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" >"$logs/layers-$name.log"
	if [ "$rc" = "$want" ] && grep -Eq -- "$re" <<<"$out"; then
		result PASS "layers/$name"
	else
		result FAIL "layers/$name" "exit $rc (want $want), output: $(head -3 <<<"$out")"
	fi
}

layers_case tree 0 '^layers: ok \(' -- tools/layers --build "$BUILD" \
	--kernel-dirs "${KERNEL_DIRS:-}" --elsewhere "${KERNEL_DIRS_ELSEWHERE:-}"

layers_plant=$(mktemp -d)
cp -r boot arch mm pool vmx "$layers_plant/"
# A device model reaching for the machine: devices may use only vmx/io/.
sed -i '1i #include "vmx/vm/vm.h"' "$layers_plant/vmx/dev/debug_exit.c"
layers_case planted-include 1 \
	'^layers: FAIL: vmx/dev/debug_exit.c:1: includes vmx/vm/vm.h: vmx/dev/ may use only vmx/io$' \
	-- tools/layers --root "$layers_plant" --build none
rm -rf "$layers_plant"

# Two pool files calling each other, as objects the checker reads with nm.
layers_plant=$(mktemp -d)
mkdir -p "$layers_plant/pool" "$layers_plant/b/kernel/pool"
printf 'void b(void);\nvoid a(void) { b(); }\n' >"$layers_plant/pool/a.c"
printf 'void a(void);\nvoid b(void) { a(); }\n' >"$layers_plant/pool/b.c"
for f in a b; do
	gcc -c -o "$layers_plant/b/kernel/pool/$f.c.o" "$layers_plant/pool/$f.c"
done
layers_case planted-circle 1 \
	'^layers: FAIL: pool/: concepts call each other in a circle: pool/a.c -> pool/b.c -> pool/a.c$' \
	-- tools/layers --root "$layers_plant" --build b
rm -rf "$layers_plant"

# A product source in a folder the Makefile does not build.
layers_plant=$(mktemp -d)
mkdir -p "$layers_plant/vmx/dev/extra"
printf 'int x;\n' >"$layers_plant/vmx/dev/extra/forgotten.c"
layers_case unlisted-folder 1 \
	'^layers: FAIL: vmx/dev/extra/forgotten.c: its folder vmx/dev/extra is not in KERNEL_DIRS' \
	-- tools/layers --root "$layers_plant" --build none --kernel-dirs "vmx/dev"
rm -rf "$layers_plant"
