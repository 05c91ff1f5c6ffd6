export { type GitOptions, git } from './git.ts';
export { GitError } from './git-error.ts';
export { classifyGitFailure, type GitFailure, gitFailureSummary } from './git-failure.ts';
export { type ObjectFormat, treeOid } from './git-objects.ts';
export { gitRead } from './git-read.ts';
export { type GitIdentity, identityEnv } from './identity.ts';
export {
  addKustomizationResource,
  compareResources,
  KUSTOMIZATION_FILE_NAMES,
  type KustomizationEdit,
  kustomizationResources,
  newKustomizationText,
  normalizeResource,
  removeKustomizationResource,
} from './kustomization.ts';
export { formatCommitMessage, parseTrailerLines, type Trailers, trailerValue } from './trailers.ts';
export {
  PARSE_OPTIONS,
  parseYamlDocument,
  readYamlDocument,
  stringifyYamlDocument,
  writeFileAtomic,
  YamlFileError,
} from './yaml-document.ts';
