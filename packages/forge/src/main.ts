import { Command } from 'commander';
import { runProgram } from '@deploysmith/cli-kit';

const program = new Command('forge').description('not implemented yet');
program.action(() => {
  process.stderr.write('forge: not implemented yet\n');
  process.exitCode = 70;
});
await runProgram(program);
