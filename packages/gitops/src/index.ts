export { GitError, type GitOptions, git } from './git.ts';
export {
  PARSE_OPTIONS,
  parseYamlDocument,
  readYamlDocument,
  stringifyYamlDocument,
  writeFileAtomic,
  YamlFileError,
} from './yaml-document.ts';
