/** The commander tree reduced to what a completion script needs: words, flags, and which flags take values. */
import type { Command } from 'commander';

export interface OptionNode {
  /** All spellings, e.g. ['-y', '--yes']. */
  flags: string[];
  description: string;
  takesValue: boolean;
  choices: string[];
}

export interface ArgumentNode {
  name: string;
  description: string;
  choices: string[];
}

export interface CommandNode {
  name: string;
  /** Names including aliases, e.g. ['list', 'ls']. */
  names: string[];
  description: string;
  /** This command's options and the ones inherited from its ancestors (--server, …), plus --help. */
  options: OptionNode[];
  arguments: ArgumentNode[];
  subcommands: CommandNode[];
}

const HELP: OptionNode = {
  flags: ['-h', '--help'],
  description: 'display help for command',
  takesValue: false,
  choices: [],
};

export function describeTree(command: Command, inherited: OptionNode[] = []): CommandNode {
  const own = command.options
    .filter((option) => !option.hidden)
    .map(
      (option): OptionNode => ({
        flags: [option.short, option.long].filter((flag): flag is string => flag !== undefined),
        description: option.description,
        takesValue: option.required || option.optional,
        choices: option.argChoices ?? [],
      }),
    );
  // Options of an ancestor stay valid below it (commander parses them anywhere), except --version.
  const passedDown = [...inherited, ...own.filter((option) => !option.flags.includes('--version'))];
  return {
    name: command.name(),
    names: [command.name(), ...command.aliases()],
    // The short summary when there is one: it is what the command list in --help shows too.
    description: command.summary() || command.description(),
    options: [...inherited, ...own, HELP],
    arguments: command.registeredArguments.map((argument) => ({
      name: argument.name(),
      description: argument.description,
      choices: argument.argChoices ?? [],
    })),
    subcommands: command.commands.map((sub) => describeTree(sub, passedDown)),
  };
}

/** Every command with its path of names from the root, depth first. */
export function walk(node: CommandNode, path: string[] = []): { path: string[]; node: CommandNode }[] {
  return [{ path, node }, ...node.subcommands.flatMap((sub) => walk(sub, [...path, sub.name]))];
}
