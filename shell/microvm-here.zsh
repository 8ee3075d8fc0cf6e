# microvm-here shell hook for zsh. Install with, in ~/.zshrc:
#   eval "$(microvm-here hook zsh)"
# `microvm-here hook zsh` prints this file with @MICROVM_HERE@ in code (never in a comment,
# where a newline in the path would become code) replaced by the binary's absolute path,
# quoted; sourcing the installed copy unchanged calls `microvm-here` from PATH instead.
#
# On each directory change (chpwd, and once now) it runs `microvm-here hook-env zsh` once and
# evals its output, which sets or unsets MICROVM_HERE_NAME and MICROVM_HERE_PROFILE (and, with
# hook = "enter", asks for `microvm-here` at the next prompt). Prompts without a directory
# change run nothing. Silent on stdout, keeps $?, safe under `setopt nounset errexit`, and
# installs itself once per shell even when eval'ed twice.
if [[ -o interactive ]] && (( ! ${+functions[_microvm_here_chpwd]} )); then
  () {
    typeset -g _microvm_here_bin=@MICROVM_HERE@
    if [[ $_microvm_here_bin == @* ]]; then
      _microvm_here_bin=microvm-here
    fi
    typeset -g __microvm_here_enter= __microvm_here_entered=
    typeset -gx MICROVM_HERE_HOOK=zsh MICROVM_HERE_HOOK_PID=$$

    _microvm_here_chpwd() {
      # chpwd also fires in subshells and $(cd ...): their variables die with them, so only
      # the interactive shell itself asks.
      if (( ZSH_SUBSHELL == 0 )); then
        eval "$("$_microvm_here_bin" hook-env zsh)"
      fi
    }

    # hook = "enter": enter the VM at the first prompt in a trusted repository, once per shell.
    # hook = "start": show what its background start could not do.
    _microvm_here_precmd() {
      local rc=$?
      # A failure of hook = "start"'s background start, shown before this prompt (never
      # mid-line).
      local msg_file=${XDG_RUNTIME_DIR-}/microvm-here/hook-message.$$
      if [[ -n ${XDG_RUNTIME_DIR-} && -f $msg_file ]]; then
        local msg=
        IFS= read -r -d '' msg <"$msg_file" || :
        command rm -f -- "$msg_file"
        printf '%s' "$msg" >&2
      fi
      if [[ -n ${__microvm_here_enter-} ]]; then
        local name=$__microvm_here_enter
        __microvm_here_enter=
        if [[ " ${__microvm_here_entered-} " != *" $name "* ]]; then
          __microvm_here_entered="${__microvm_here_entered-} $name"
          "$_microvm_here_bin" || :
        fi
      fi
      return $rc
    }

    typeset -ga chpwd_functions precmd_functions
    chpwd_functions+=(_microvm_here_chpwd)
    precmd_functions+=(_microvm_here_precmd)
    _microvm_here_chpwd
  }
fi
