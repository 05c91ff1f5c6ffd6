import { Command } from 'commander';
import { runProgram } from '@deploysmith/cli-kit';

const program = new Command('pilar').description('not implemented yet');
program.action(() => {
  process.stderr.write('pilar: not implemented yet\n');
  process.exitCode = 70;
});
await runProgram(program);
