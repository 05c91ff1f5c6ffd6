/**
 * `WWW-Authenticate` challenges (RFC 7235) as registries send them:
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`
 * or `Basic realm="Registry"`. Several challenges may share one header.
 */

export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Parameters with lower-cased names. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const headers = Array.isArray(header) ? header : [header];
  return headers.flatMap(parseHeader);
}

function parseHeader(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header.trim();
  while (rest !== '') {
    rest = rest.replace(/^[\s,]+/, '');
    const scheme = TOKEN.exec(rest)?.[0];
    if (scheme === undefined) break;
    const current: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(current);
    rest = rest.slice(scheme.length).trimStart();
    // Parameters: name=value or name="quoted value", separated by commas, until the next scheme.
    while (rest !== '') {
      const name = TOKEN.exec(rest)?.[0];
      if (name === undefined) break;
      const afterName = rest.slice(name.length).trimStart();
      if (!afterName.startsWith('=')) break; // a token not followed by "=" starts the next challenge
      let value: string;
      let afterValue = afterName.slice(1).trimStart();
      if (afterValue.startsWith('"')) {
        let end = 1;
        value = '';
        while (end < afterValue.length && afterValue[end] !== '"') {
          if (afterValue[end] === '\\' && end + 1 < afterValue.length) end++;
          value += afterValue[end];
          end++;
        }
        afterValue = afterValue.slice(end + 1);
      } else {
        const raw = /^[^,\s]*/.exec(afterValue)?.[0] ?? '';
        value = raw;
        afterValue = afterValue.slice(raw.length);
      }
      current.params[name.toLowerCase()] = value;
      rest = afterValue.trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    }
  }
  return challenges;
}

/** The challenge we can answer, bearer preferred over basic. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ??
    challenges.find((c) => c.scheme === 'basic')
  );
}
