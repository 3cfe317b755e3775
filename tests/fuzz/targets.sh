# The fuzz targets and their libFuzzer options, for run.sh and
# smoke.sh (sourced; $src is the source tree).
#
#   FUZZ_TARGETS           every target, as tests/fuzz/local.mk has them
#   fuzz_opts TARGET       its options: dictionary, input size
FUZZ_TARGETS="ctl_frame dom0_ctl rpc def_xml def_json xen_elf xenstore
    savefile"

fuzz_opts()
{
	local d=$src/tests/fuzz
	case $1 in
	ctl_frame) echo "-dict=$d/ctl.dict -max_len=8192" ;;
	dom0_ctl) echo "-dict=$d/ctl.dict -max_len=16384" ;;
	rpc) echo "-dict=$d/rpc.dict -max_len=2048" ;;
	def_xml) echo "-dict=$d/def_xml.dict -max_len=8192" ;;
	def_json) echo "-dict=$d/def_json.dict -max_len=8192" ;;
	xen_elf) echo "-dict=$d/xen_elf.dict" ;;
	xenstore) echo "-dict=$d/xenstore.dict -max_len=8192" ;;
	savefile) echo "-dict=$d/savefile.dict -max_len=81920" ;;
	esac
}
