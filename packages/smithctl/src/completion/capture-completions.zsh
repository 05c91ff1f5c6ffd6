# Test helper: prints the completions zsh offers for a command line, one a line.
# Usage: zsh -f capture-completions.zsh COMPLETION_SCRIPT "command line to complete"
# It drives a real interactive zsh on a pseudo-terminal, presses TAB after the line, and records
# every candidate the completion system adds (compadd), between two marks.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT=''"
zpty -w z "autoload -U compinit && compinit -u -D"
zpty -w z "source ${(q)1}"
zpty -w z 'bindkey "^I" complete-word'
zpty -w z 'zstyle ":completion:*" list-grouped false'
zpty -w z 'zstyle ":completion:*" insert-tab false'
zpty -w z 'compprefuncs=( _capture_mark ); comppostfuncs=( _capture_mark exit )'
zpty -w z '_capture_mark() { print -r -- "<<mark>>" }'
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; local -a __hits; builtin compadd -A __hits "$@"; local h; for h in $__hits; do print -r -- "<<hit>>$h"; done }'
zpty -w z 'print -r -- "<<ready>>"'
local line
while zpty -r z line; do [[ $line == *'<<ready>>'* && $line != *print* ]] && break; done
zpty -w -n z "$2"$'\t'
integer marks=0
while zpty -r z line; do
  [[ $line == *'<<mark>>'* && $line != *print* ]] && { (( marks++ )); (( marks == 2 )) && break; continue; }
  [[ $line == '<<hit>>'* ]] && print -r -- ${${${line#'<<hit>>'}%$'\n'}%$'\r'}
done
zpty -d z
