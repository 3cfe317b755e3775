# Sourced first by a test that mounts over the machine's directories
# (/run, /var/lib, /dev): the test runs again in a mount namespace of
# its own (unshare -m, private propagation), where its mounts are seen
# by it alone and go with it.  Root only.  Never mount anything of the
# machine's under $T: a test that passes removes $T, and rm -rf would go
# through the mount into the machine's files.
if [ -z "${XM_IN_MOUNT_NS:-}" ]; then
	if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
		echo "1..0 # SKIP needs: root and unshare -m (CAP_SYS_ADMIN)"
		exit 0
	fi
	exec unshare -m env XM_IN_MOUNT_NS=1 bash "$0" "$@"
fi
