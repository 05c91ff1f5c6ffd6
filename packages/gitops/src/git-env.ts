/** What every git DeploySmith runs gets: no prompts, no pager, no interactive SSH, plain C messages. */
export const QUIET_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  GIT_ASKPASS: 'echo',
  GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o ConnectTimeout=10',
  LC_ALL: 'C',
};
