#!/bin/sh
# cordon completion bash|zsh|fish: each script loads in its shell and
# completes commands, options and option values (zsh: loaded and defined;
# driving its completion needs a terminal). Shells that are not installed
# are said, and count as failures: scripts/install-deps.sh installs them.
set -u
C=$1
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); printf 'FAIL: %s\n  want: %s\n  got:  %s\n' "$1" "$2" "$3"; fi
}
"$C" completion bash > "$T/cordon.bash" && "$C" completion zsh > "$T/_cordon" && "$C" completion fish > "$T/cordon.fish" ||
	{ echo "FAIL: cordon completion"; exit 1; }
bashc() { # WORDS...: the completions of the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _cordon; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		sh "$T/cordon.bash" "$@"
}
check "bash: commands" "scan " "$(bashc cordon sc)"
check "bash: options" "--operator " "$(bashc cordon redact --oper)"
check "bash: operator values" "encrypt mask pseudonym tag " "$(bashc cordon redact --operator '')"
check "bash: scan report formats" "json sarif text " "$(bashc cordon scan --report-format '')"
check "bash: record formats" "csv es-bulk jsonl text " "$(bashc cordon scan -f '')"
check "bash: audit's -f is the report's" "json sarif text " "$(bashc cordon audit -f '')"
check "bash: audit types" "azure-nic azure-nsg " "$(bashc cordon audit --type az)"
check "bash: help topics" "completion config consume " "$(bashc cordon help co)"
check "bash: help topics beyond commands" "entities " "$(bashc cordon help en)"
check "bash: shells" "bash " "$(bashc cordon completion b)"
if command -v fish > /dev/null; then
	fishc() { fish -c "source '$T/cordon.fish'; complete -C '$1'" | cut -f1 | sort | tr '\n' ' '; }
	check "fish: commands" "redact report restore " "$(fishc 'cordon re')"
	check "fish: option values" "encrypt mask pseudonym tag " "$(fishc 'cordon redact --operator ')"
	check "fish: options" "--fail-on " "$(fishc 'cordon audit --fail')"
else
	check "fish is installed" yes no
fi
if command -v zsh > /dev/null; then
	check "zsh: the script parses" 0 "$(zsh -n "$T/_cordon"; echo $?)"
	check "zsh: it defines _cordon" yes "$(zsh -c "autoload -U compinit; compinit -u -D 2>/dev/null; source '$T/_cordon' 2>/dev/null; (( \$+functions[_cordon] )) && echo yes")"
else
	check "zsh is installed" yes no
fi
echo "completion: $pass passed, $fail failed"
[ $fail -eq 0 ]
