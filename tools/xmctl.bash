# bash completion for xmctl(1): the commands, each command's options,
# domain names where a command takes DOM (asked of xmd, with the same
# -c URI and -r as the line being completed), files where it takes FILE.
# Installed as $(datadir)/bash-completion/completions/xmctl; to try it
# from a build tree: source tools/xmctl.bash.
#
# What xmctl itself prints is the source of every word: its usage lists
# the commands, "xmctl COMMAND -h" the command's options and operands,
# so the completion follows xmctl as it changes.

# The words of the line before COMP_CWORD that reach xmd: -c URI, -r.
_xmctl_conn()
{
	local i
	_xmctl_args=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-c)	_xmctl_args+=(-c "${COMP_WORDS[i + 1]}"); ((i++)) ;;
		-r)	_xmctl_args+=(-r) ;;
		-*)	;;
		*)	return ;;
		esac
	done
}

# The index of the command word, or 0 when the cursor is still before it.
_xmctl_verb_at()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-c)	((i++)) ;;
		-*)	;;
		*)	echo "$i"; return ;;
		esac
	done
	echo 0
}

_xmctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local at verb usage words
	local -a _xmctl_args

	COMPREPLY=()
	if [[ $prev == -c ]]; then
		COMPREPLY=($(compgen -W "unix:/// xm+tls:// xm+ssh://" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return
	fi
	at=$(_xmctl_verb_at)
	if ((at == 0)); then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-c -h -r -V --help --version" \
			    -- "$cur"))
		else
			words=$(xmctl help 2>/dev/null |
			    awk '/^  [a-z]/ { print $1 }')
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
		fi
		return
	fi
	verb=${COMP_WORDS[at]}
	usage=$(xmctl "$verb" -h 2>/dev/null | head -n 1)
	if [[ $cur == -* ]]; then
		words=$(printf '%s\n' "$usage" | grep -o -- '--[a-z-]*')
		COMPREPLY=($(compgen -W "$words -h" -- "$cur"))
		return
	fi
	# An option that takes a value: nothing to offer but files.
	if [[ $prev == --* ]] && printf '%s\n' "$usage" |
	    grep -q -- "\[$prev [A-Z]"; then
		return
	fi
	case $usage in
	*\ DOM*)
		_xmctl_conn
		words=$(xmctl "${_xmctl_args[@]}" list --all --name 2>/dev/null)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		;;
	*\ FILE*)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	esac
}

complete -F _xmctl xmctl
