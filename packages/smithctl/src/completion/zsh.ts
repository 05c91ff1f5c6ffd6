/**
 * A zsh completion script generated from the commander tree: one `_arguments` function per
 * command, subcommands offered with their descriptions through `_describe`. It works both from a
 * file on $fpath (`#compdef`) and when sourced (it calls `compdef` itself).
 */
import type { ArgumentNode, CommandNode, OptionNode } from './tree.ts';

/** A single-quoted zsh word. */
const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
/** Text inside an `_arguments` spec, where [ ] : and \ are special. */
const specText = (text: string) => text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1');
const functionName = (root: string, path: string[]) =>
  [`_${root}`, ...path].join('_').replace(/[^A-Za-z0-9_]/g, '_');

function optionSpecs(option: OptionNode): string[] {
  const description = `[${specText(option.description)}]`;
  const value = option.takesValue
    ? `:${specText(option.flags.at(-1)?.replace(/^-+/, '') ?? 'value')}:${option.choices.length > 0 ? `(${option.choices.join(' ')})` : ''}`
    : '';
  // A long option with a value may be written --env=x or --env x.
  const spell = (flag: string) => (option.takesValue && flag.startsWith('--') ? `${flag}=` : flag);
  if (option.flags.length === 1) return [quoted(`${spell(option.flags[0] ?? '')}${description}${value}`)];
  const exclusive = `(${option.flags.join(' ')})`;
  return option.flags.map((flag) => quoted(`${exclusive}${spell(flag)}${description}${value}`));
}

function argumentSpec(argument: ArgumentNode, position: number): string {
  const action = argument.choices.length > 0 ? `(${argument.choices.join(' ')})` : '';
  return quoted(`${position}:${specText(argument.name)}:${action}`);
}

function commandFunction(root: string, path: string[], node: CommandNode): string[] {
  const name = functionName(root, path);
  const specs = node.options.flatMap(optionSpecs);
  if (node.subcommands.length === 0) {
    const all = [...specs, ...node.arguments.map((argument, index) => argumentSpec(argument, index + 1))];
    return [
      `${name}() {`,
      `  _arguments -s \\`,
      ...all.map((spec, i) => `    ${spec}${i === all.length - 1 ? '' : ' \\'}`),
      '}',
      '',
    ];
  }
  const entries = node.subcommands.flatMap((sub) =>
    sub.names.map((alias) => quoted(`${alias}:${sub.description.replace(/:/g, '\\:')}`)),
  );
  const dispatch = node.subcommands.map(
    (sub) => `        (${sub.names.join('|')}) ${functionName(root, [...path, sub.name])} ;;`,
  );
  return [
    `${name}() {`,
    '  local curcontext="$curcontext" state line',
    '  typeset -A opt_args',
    '  _arguments -C -s \\',
    ...specs.map((spec) => `    ${spec} \\`),
    `    '1: :->command' \\`,
    `    '*:: :->argument'`,
    '  case $state in',
    '    (command)',
    '      local -a subcommands',
    `      subcommands=(${entries.join(' ')})`,
    `      _describe -t commands ${quoted(`${[root, ...path].join(' ')} command`)} subcommands`,
    '      ;;',
    '    (argument)',
    `      curcontext="\${curcontext%:*:*}:${[root, ...path].join('-')}-$line[1]:"`,
    '      case $line[1] in',
    ...dispatch,
    '      esac',
    '      ;;',
    '  esac',
    '}',
    '',
  ];
}

export function zshCompletion(root: CommandNode): string {
  const lines: string[] = [];
  const visit = (node: CommandNode, path: string[]) => {
    lines.push(...commandFunction(root.name, path, node));
    for (const sub of node.subcommands) visit(sub, [...path, sub.name]);
  };
  visit(root, []);
  const main = functionName(root.name, []);
  return `#compdef ${root.name}
# zsh completion for ${root.name}, generated from its commands.
#   now:     source <(${root.name} completion zsh)
#   always:  ${root.name} completion zsh > "\${fpath[1]}/_${root.name}"

${lines.join('\n')}
if [ "$funcstack[1]" = "${main}" ]; then
  ${main} "$@"
else
  compdef ${main} ${root.name}
fi
`;
}
