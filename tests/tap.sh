# TAP for the shell tests: tap STATUS DESCRIPTION prints "ok N - ..." when
# STATUS is 0, else "not ok N - ..." and remembers the failure; the
# test's finish prints the plan "1..N" and exits with tap_failed.
# tap_todo STATUS DESCRIPTION WHY is a case expected to fail until WHY
# is done: "... # TODO WHY", never remembered as a failure.
tap_n=0
tap_failed=0

tap()
{
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=1
	fi
}

tap_todo()
{
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2 # TODO $3"
	else
		echo "not ok $tap_n - $2 # TODO $3"
	fi
}
