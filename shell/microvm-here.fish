# microvm-here shell hook for fish. Install with, in ~/.config/fish/config.fish:
#   microvm-here hook fish | source
# `microvm-here hook fish` prints this file with @MICROVM_HERE@ in code (never in a comment,
# where a newline in the path would become code) replaced by the binary's absolute path,
# quoted; sourcing the installed copy unchanged calls `microvm-here` from PATH instead.
#
# When PWD changes (and once now) it runs `microvm-here hook-env fish` once and sources its
# output, which sets or erases MICROVM_HERE_NAME and MICROVM_HERE_PROFILE (and, with
# hook = "enter", runs `microvm-here` at the next prompt). Prompts without a directory change
# run nothing. Silent on stdout, keeps $status, installs once per shell.
if status is-interactive; and not functions -q __microvm_here_on_pwd
    set -g __microvm_here_bin @MICROVM_HERE@
    if string match -q '@*' -- $__microvm_here_bin
        set __microvm_here_bin microvm-here
    end
    set -g __microvm_here_entered
    set -gx MICROVM_HERE_HOOK fish
    set -gx MICROVM_HERE_HOOK_PID $fish_pid

    function __microvm_here_on_pwd --on-variable PWD
        set -l rc $status
        $__microvm_here_bin hook-env fish | source
        return $rc
    end

    # hook = "enter": enter the VM at the first prompt in a trusted repository, once per shell.
    function __microvm_here_on_prompt --on-event fish_prompt
        set -l rc $status
        # A failure of hook = "start"'s background start, shown before this prompt (never
        # mid-line).
        if set -q XDG_RUNTIME_DIR[1]; and test -f $XDG_RUNTIME_DIR/microvm-here/hook-message.$fish_pid
            set -l msg_file $XDG_RUNTIME_DIR/microvm-here/hook-message.$fish_pid
            while read -l line
                echo $line >&2
            end <$msg_file
            command rm -f -- $msg_file
        end
        if set -q __microvm_here_enter
            set -l name $__microvm_here_enter
            set -e __microvm_here_enter
            if not contains -- $name $__microvm_here_entered
                set -a __microvm_here_entered $name
                $__microvm_here_bin
            end
        end
        return $rc
    end

    __microvm_here_on_pwd
end
