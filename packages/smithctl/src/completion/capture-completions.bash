# Test helper: prints the completions bash offers for a command line, one a line.
# Usage: bash capture-completions.bash COMPLETION_SCRIPT "command line to complete"
# A trailing space in the line starts a new (empty) word, as when TAB is pressed after a space.
source "$1"
read -ra COMP_WORDS <<< "$2"
[[ "$2" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_smithctl_completion
printf '%s\n' "${COMPREPLY[@]}"
