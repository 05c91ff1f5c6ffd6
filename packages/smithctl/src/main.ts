import { runProgram } from '@deploysmith/cli-kit';
import { buildProgram } from './program.ts';

await runProgram(buildProgram());
