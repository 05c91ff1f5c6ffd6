/**
 * A bash completion script generated from the commander tree. It walks the words typed so far to
 * find the command (skipping options and their values), then offers that command's subcommands and
 * argument choices, its options when the word starts with "-", or the choices of the option whose
 * value is being typed. Only `case` statements, so it also runs on bash 3.2 (macOS).
 */
import { type CommandNode, walk } from './tree.ts';

/** Words in a single-quoted shell string: the tree's names and flags never hold a quote, but be sure. */
const words = (list: string[]) => list.join(' ').replace(/'/g, '');
const alternatives = (patterns: string[]) => patterns.map((pattern) => `'${pattern}'`).join('|');

export function bashCompletion(root: CommandNode): string {
  const fn = `_${root.name.replace(/[^A-Za-z0-9_]/g, '_')}_completion`;
  const nodes = walk(root);
  const key = (path: string[]) => path.join('/');

  const subcommandCases = nodes.flatMap(({ path, node }) =>
    node.subcommands.map(
      (sub) =>
        `      ${alternatives(sub.names.map((name) => `${key(path)}:${name}`))}) path='${key([...path, sub.name])}' ;;`,
    ),
  );
  const valueOptionCases = nodes.flatMap(({ path, node }) => {
    const flags = node.options.filter((option) => option.takesValue).flatMap((option) => option.flags);
    return flags.length === 0
      ? []
      : [`          ${alternatives(flags.map((flag) => `${key(path)}:${flag}`))}) skip=1 ;;`];
  });
  const choiceCases = nodes.flatMap(({ path, node }) =>
    node.options
      .filter((option) => option.choices.length > 0)
      .map(
        (option) =>
          `      ${alternatives(option.flags.map((flag) => `${key(path)}:${flag}`))}) COMPREPLY=($(compgen -W '${words(option.choices)}' -- "$cur")) ;;`,
      ),
  );
  const optionCases = nodes.map(
    ({ path, node }) =>
      `      '${key(path)}') candidates='${words(node.options.flatMap((option) => option.flags))}' ;;`,
  );
  const wordCases = nodes.map(({ path, node }) => {
    const names = node.subcommands.flatMap((sub) => sub.names);
    const choices = node.arguments.flatMap((argument) => argument.choices);
    return `      '${key(path)}') candidates='${words([...names, ...choices])}' ;;`;
  });

  return `# bash completion for ${root.name}, generated from its commands.
#   now:     source <(${root.name} completion bash)
#   always:  ${root.name} completion bash > ~/.local/share/bash-completion/completions/${root.name}
${fn}() {
  local cur prev word path skip i candidates
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=''
  skip=0
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [ "$skip" = 1 ]; then
      skip=0
      continue
    fi
    case "$word" in
      --*=*) ;;
      -*)
        case "$path:$word" in
${valueOptionCases.join('\n')}
        esac
        ;;
      *)
        case "$path:$word" in
${subcommandCases.join('\n')}
        esac
        ;;
    esac
  done
  if [ "$skip" = 1 ]; then
    # The cursor is on the value of an option: offer its choices, if it has any.
    case "$path:$prev" in
${choiceCases.join('\n')}
    esac
    return 0
  fi
  candidates=''
  case "$cur" in
    -*)
      case "$path" in
${optionCases.join('\n')}
      esac
      ;;
    *)
      case "$path" in
${wordCases.join('\n')}
      esac
      ;;
  esac
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
}
complete -F ${fn} ${root.name}
`;
}
