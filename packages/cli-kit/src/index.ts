export { confirm } from './confirm.ts';
export { reportError } from './errors.ts';
export {
  createOutput,
  formatAge,
  formatTable,
  isCI,
  type Output,
  type OutputOptions,
  print,
  printDiagnostic,
  printJson,
} from './output.ts';
export { runProgram, withExamples } from './program.ts';
export { step } from './progress.ts';
