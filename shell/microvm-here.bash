# microvm-here shell hook for bash. Install with, in ~/.bashrc:
#   eval "$(microvm-here hook bash)"
# `microvm-here hook bash` prints this file with @MICROVM_HERE@ in code (never in a comment,
# where a newline in the path would become code) replaced by the binary's absolute path,
# quoted; sourcing the installed copy unchanged calls `microvm-here` from PATH instead.
#
# Before each prompt it compares $PWD with the last one in pure shell; only after a change does
# it run `microvm-here hook-env bash` once and eval its output, which sets or unsets
# MICROVM_HERE_NAME and MICROVM_HERE_PROFILE (and, with hook = "enter", runs `microvm-here`).
# It keeps $? and any existing PROMPT_COMMAND (bash >= 5.1: as an extra array element, which
# survives tools that assign PROMPT_COMMAND later; with bash-preexec: in precmd_functions),
# prints nothing on stdout, works under `set -euo pipefail`, and installs once per shell.
if [[ $- == *i* ]] && ! declare -F __microvm_here_prompt >/dev/null; then
  __microvm_here_bin=@MICROVM_HERE@
  if [[ $__microvm_here_bin == @* ]]; then
    __microvm_here_bin=microvm-here
  fi
  __microvm_here_pwd=
  __microvm_here_enter=
  __microvm_here_entered=
  export MICROVM_HERE_HOOK=bash MICROVM_HERE_HOOK_PID=$$

  __microvm_here_prompt() {
    local rc=$?
    # A failure of hook = "start"'s background start, shown before this prompt (never mid-line).
    local msg_file=${XDG_RUNTIME_DIR-}/microvm-here/hook-message.$$
    if [[ -n ${XDG_RUNTIME_DIR-} && -f $msg_file ]]; then
      local msg=
      IFS= read -r -d '' msg <"$msg_file" || :
      command rm -f -- "$msg_file"
      printf '%s' "$msg" >&2
    fi
    if [[ ${__microvm_here_pwd-} != "$PWD" ]]; then
      __microvm_here_pwd=$PWD
      eval "$("$__microvm_here_bin" hook-env bash)"
    fi
    # hook = "enter": enter the VM at the first prompt in a trusted repository, once per shell.
    if [[ -n ${__microvm_here_enter-} ]]; then
      local name=$__microvm_here_enter
      __microvm_here_enter=
      if [[ " ${__microvm_here_entered-} " != *" $name "* ]]; then
        __microvm_here_entered="${__microvm_here_entered-} $name"
        "$__microvm_here_bin" || :
      fi
    fi
    return $rc
  }

  if [[ -n ${bash_preexec_imported-}${__bp_imported-} ]]; then
    precmd_functions+=(__microvm_here_prompt)
  elif ((BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1))); then
    PROMPT_COMMAND+=(__microvm_here_prompt)
  else
    PROMPT_COMMAND="__microvm_here_prompt${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  fi
fi
