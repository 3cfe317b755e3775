# man: the manual pages, in mdoc.  `make install` installs them;
# tests/man/check.sh checks that they document every xmctl verb and every
# JSON-RPC method, and that `mandoc -T lint` finds nothing in them.

dist_man_MANS = \
	man/xmctl.1 \
	man/libxmctl.3 \
	man/xm-domain.5 \
	man/xm-save.5 \
	man/xmd.conf.5 \
	man/xm-jsonrpc.7 \
	man/xmd.8
