# fish completion for microvm-here.
# It keeps no list of its own: commands, options and what an argument is come from
# `microvm-here __complete ...` (the binary's one command table), profile names from
# `microvm-here list --names`.

# Prints the candidates for the command line being completed, one per line ("word<TAB>help").
function __microvm_here_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l bin $words[1]
    if not command -q -- $bin; and not test -x "$bin"
        set bin microvm-here
    end
    set -l commands (command $bin __complete commands 2>/dev/null)
    set -l names (string replace -r '\t.*' '' -- $commands)
    # "WORD<TAB>VALUE" per option that takes a value (FILE, DIR, N...)
    set -l values (command $bin __complete needs-value 2>/dev/null)

    # Walk the words like the parser does: the first plain word may name the command; an
    # option that takes a value swallows the next word; "--" starts a remote command.
    set -l cmd ''
    set -l chosen 0
    set -l npos 0
    set -l skip 0
    set -l prev_value ''
    for w in $words[2..-1]
        set prev_value ''
        if test $skip = 1
            set skip 0
            continue
        end
        if test "$w" = --
            return
        end
        if string match -qr '^-.' -- $w
            if not string match -q '*=*' -- $w
                set -l kind (string match -r -- '^'(string escape --style=regex -- $w)'\t(.*)$' $values)[2]
                if test -n "$kind"
                    set skip 1
                    set prev_value $kind
                end
            end
            continue
        end
        if test $chosen = 0
            set chosen 1
            if contains -- $w $names
                set cmd $w
                set values (command $bin __complete needs-value $cmd 2>/dev/null)
                continue
            end
        end
        set npos (math $npos + 1)
    end

    switch "$prev_value"
        case ''
        case FILE
            __fish_complete_path $cur
            return
        case DIR
            __fish_complete_directories $cur
            return
        case '*'
            return
    end
    if string match -q -- '-*' $cur
        command $bin __complete options $cmd 2>/dev/null
        return
    end
    if test $chosen = 0
        printf '%s\n' $commands
    end
    set -l max (command $bin __complete maxargs $cmd 2>/dev/null)
    if test -n "$max"; and test $npos -lt $max
        switch (command $bin __complete argkind $cmd 2>/dev/null)
            case profile
                command $bin list --names 2>/dev/null
            case shell
                command $bin __complete shells 2>/dev/null
            case dir
                __fish_complete_directories $cur
        end
    end
end

complete -c microvm-here -f -a '(__microvm_here_complete)'
