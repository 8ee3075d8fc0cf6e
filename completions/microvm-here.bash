# bash completion for microvm-here.
# It keeps no list of its own: commands, options and what an argument is come from
# `microvm-here __complete ...` (the binary's one command table), profile names from
# `microvm-here list --names`. Candidates are matched here as plain strings and never handed
# to `compgen -W`, which would expand $(...), backticks and variables in them: a profile name
# comes from profiles.nix, which a shared repository may hold.

# Fills the caller's `takes`: option word -> the value it takes (FILE, DIR, N...), for CMD.
__microvm_here_takes() {
  local w v
  takes=()
  while IFS=$'\t' read -r w v; do
    takes[$w]=$v
  done < <("$1" __complete needs-value "$2" 2>/dev/null)
}

# Sets COMPREPLY to the words (after $1, the typed prefix) that start with it, compared as
# plain strings: nothing in a word is expanded.
__microvm_here_filter() {
  local cur=$1 w
  shift
  COMPREPLY=()
  for w in "$@"; do
    if [[ $w == "$cur"* ]]; then
      COMPREPLY+=("$w")
    fi
  done
}

_microvm_here() {
  local cur=${COMP_WORDS[COMP_CWORD]-}
  local bin=${COMP_WORDS[0]}
  if ! type -P -- "$bin" >/dev/null 2>&1 && [[ ! -x $bin ]]; then
    bin=microvm-here
  fi
  COMPREPLY=()

  local -a commands
  local -A takes
  local line
  while IFS=$'\t' read -r line _; do
    commands+=("$line")
  done < <("$bin" __complete commands 2>/dev/null)
  __microvm_here_takes "$bin" ""

  # Walk the words before the cursor like the parser does: the first plain word may name the
  # command; an option that takes a value swallows the next word; "--" starts a remote command.
  local cmd= chosen=0 npos=0 skip=0 prev_value= i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    prev_value=
    if ((skip)); then
      skip=0
      continue
    fi
    if [[ $w == -- ]]; then
      return 0
    fi
    if [[ $w == -?* ]]; then
      if [[ $w != *=* && -n ${takes[$w]-} ]]; then
        skip=1
        prev_value=$w
      fi
      continue
    fi
    if ((!chosen)); then
      chosen=1
      if [[ " ${commands[*]} " == *" $w "* ]]; then
        cmd=$w
        __microvm_here_takes "$bin" "$cmd"
        continue
      fi
    fi
    npos=$((npos + 1))
  done

  if [[ -n $prev_value ]]; then
    case ${takes[$prev_value]-} in
      FILE) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
      DIR) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    local -a opts
    while IFS=$'\t' read -r line _; do
      opts+=("$line")
    done < <("$bin" __complete options "$cmd" 2>/dev/null)
    __microvm_here_filter "$cur" "${opts[@]}"
    return 0
  fi

  local kind max
  kind=$("$bin" __complete argkind "$cmd" 2>/dev/null)
  max=$("$bin" __complete maxargs "$cmd" 2>/dev/null)
  local -a words=()
  if ((!chosen)); then
    words=("${commands[@]}")
  fi
  if ((npos < ${max:-0})); then
    case $kind in
      profile) mapfile -t -O "${#words[@]}" words < <("$bin" list --names 2>/dev/null) ;;
      shell) mapfile -t -O "${#words[@]}" words < <("$bin" __complete shells 2>/dev/null) ;;
      dir)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        compopt -o filenames 2>/dev/null
        return 0
        ;;
    esac
  fi
  __microvm_here_filter "$cur" "${words[@]}"
}

complete -F _microvm_here microvm-here
