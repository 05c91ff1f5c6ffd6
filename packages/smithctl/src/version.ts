/** smithctl's own version, shown by --version and sent as the User-Agent. */
import manifest from '../package.json' with { type: 'json' };

export const VERSION: string = manifest.version;
export const USER_AGENT = `smithctl/${VERSION}`;
