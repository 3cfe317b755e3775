#!/bin/bash
# tests/harness counts what small fake tests print: passes, skips (and
# cmocka's), TODOs, scripts that die before their plan is complete, a
# "not ok", a non-zero exit with every case ok, and skips in CI with and
# without "needs:", and two tests of one name (one log).  Each check is
# the harness's last line and its exit status.  XM_HARNESS picks another
# harness (to see an old one fail).
set -u
. "${XM_SRCDIR:-.}/tests/tap.sh"
harness=${XM_HARNESS:-${XM_SRCDIR:-.}/tests/harness}
tmp=${XM_TEST_TMP:-/tmp}/harness-test.d
rm -rf "$tmp"
mkdir -p "$tmp/t"

# fake NAME EXIT LINE...: a test that prints the lines and exits.
fake()
{
	local name=$1 rc=$2
	shift 2
	{
		printf "printf '%%s\\\\n'"
		printf " '%s'" "$@"
		printf '\nexit %s\n' "$rc"
	} >"$tmp/t/$name.sh"
}

# judge WANT_LINE WANT_RC [VAR=VALUE...] -- TEST...: run the harness on
# the fake tests (in the environment given, CI unset otherwise).
judge()
{
	local want=$1 want_rc=$2 env=() t tests=() out rc last ok
	shift 2
	while [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	for t in "$@"; do
		tests+=("$tmp/t/$t.sh")
	done
	out=$(env -u CI -u XM_NO_SKIP "${env[@]}" XM_BUILDDIR="$tmp" \
	    bash "$harness" -j 1 "${tests[@]}" 2>&1)
	rc=$?
	last=$(echo "$out" | tail -n 1)
	[ "$last" = "$want" ] && [ $((rc != 0)) -eq "$want_rc" ]
	ok=$?
	tap $ok "${env[*]:+${env[*]} }$*: \"$last\", exit $rc"
	[ $ok -eq 0 ] || echo "$out" | sed 's/^/# /'
}

fake allpass 0 1..2 'ok 1 - one' 'ok 2 - two'
fake skip 0 1..2 'ok 1 - one' 'ok 2 - two # SKIP no frobnicator'
fake needs 0 1..2 'ok 1 - one' 'ok 2 - two # SKIP needs: /dev/frob'
fake cmocka_skip 0 1..2 'ok 1 - one' 'not ok 2 # SKIP two'
fake whole_skip 0 '1..0 # SKIP needs: a frobnicator'
fake todo 0 1..2 'ok 1 - one' 'not ok 2 - two # TODO frobnicate'
fake notok 1 1..2 'ok 1 - one' 'not ok 2 - two'
fake died 0 1..3 'ok 1 - one' 'ok 2 - two'
fake died_rc 1 1..3 'ok 1 - one' 'ok 2 - two'
fake died_noplan 1 'ok 1 - one' 'ok 2 - two'
fake over 0 1..1 'ok 1 - one' 'ok 2 - two'
fake exit_rc 3 1..2 'ok 1 - one' 'ok 2 - two'
fake groups 0 1..2 'ok 1 - a' 'ok 2 - b' '# ok - g1' 1..1 'ok 1 - c' \
    '# ok - g2'
fake trailing 0 'ok 1 - one' 'ok 2 - two' 1..2
fake bail 0 1..2 'ok 1 - one' 'Bail out! no frobnicator'
fake silent 0
fake silent_rc 1
mkdir -p "$tmp/u"
cp "$tmp/t/allpass.sh" "$tmp/u/allpass.sh"

judge '2 passed, 0 failed, 0 skipped' 0 -- allpass
judge '1 passed, 0 failed, 1 skipped' 0 -- skip
judge '1 passed, 0 failed, 1 skipped' 0 -- cmocka_skip
judge '0 passed, 0 failed, 1 skipped' 0 -- whole_skip
judge '2 passed, 0 failed, 0 skipped' 0 -- todo
judge '1 passed, 1 failed, 0 skipped' 1 -- notok
judge '2 passed, 1 failed, 0 skipped' 1 -- died
judge '2 passed, 1 failed, 0 skipped' 1 -- died_rc
judge '2 passed, 1 failed, 0 skipped' 1 -- died_noplan
judge '2 passed, 1 failed, 0 skipped' 1 -- over
judge '2 passed, 1 failed, 0 skipped' 1 -- exit_rc
judge '3 passed, 0 failed, 0 skipped' 0 -- groups
judge '2 passed, 0 failed, 0 skipped' 0 -- trailing
judge '1 passed, 1 failed, 0 skipped' 1 -- bail
judge '1 passed, 0 failed, 0 skipped' 0 -- silent
judge '0 passed, 1 failed, 0 skipped' 1 -- silent_rc
judge '1 passed, 1 failed, 0 skipped' 1 CI=1 -- skip
judge '1 passed, 1 failed, 0 skipped' 1 XM_NO_SKIP=1 -- cmocka_skip
judge '1 passed, 1 failed, 0 skipped' 1 CI=true -- skip
judge '1 passed, 0 failed, 1 skipped' 0 CI=0 -- skip
judge '1 passed, 0 failed, 1 skipped' 0 CI=1 -- needs
judge '0 passed, 0 failed, 1 skipped' 0 CI=1 -- whole_skip
judge '7 passed, 1 failed, 2 skipped' 1 -- allpass skip needs notok todo
judge "harness: two tests are named 'allpass': their logs would be one; rename one" \
    1 -- allpass ../u/allpass

rm -rf "$tmp"
echo "1..$tap_n"
exit $tap_failed
