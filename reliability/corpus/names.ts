/** Names that must never become an app, an environment, a version or a path. */

/** Invalid as an app or environment name (DNS-1123 label). */
export const BAD_LABELS: [string, string][] = [
  ['slash', 'a/b'],
  ['dot-dot', '..'],
  ['dot-dot-slash', '../etc'],
  ['dot', '.'],
  ['empty', ''],
  ['NUL', 'a\u0000b'],
  ['space', 'a b'],
  ['upper case', 'Hello'],
  ['Cyrillic look-alike', 'аpp'],
  ['full-width look-alike', 'ａpp'],
  ['zero-width space', 'app\u200b'],
  ['right-to-left override', '\u202eppa'],
  ['encoded slash', 'app%2Fx'],
  ['leading dash', '-app'],
  ['trailing dash', 'app-'],
  ['64 characters', 'a'.repeat(64)],
  ['newline', 'app\nx'],
  ['backslash', 'a\\b'],
  ['shell', '$(id)'],
  ['decomposed accent', 'cafe\u0301'],
];

/** Invalid as a version id. */
export const BAD_VERSIONS: [string, string][] = [
  ['slash', '1.0/2'],
  ['dot-dot', '..'],
  ['dot-dot inside', '1..2'],
  ['parent path', '../1.0.0'],
  ['leading dot', '.1'],
  ['empty', ''],
  ['NUL', '1\u00000'],
  ['space', '1 0'],
  ['Cyrillic look-alike', '1.0.0-bеta'],
  ['129 characters', '1'.repeat(129)],
  ['backslash', '1\\0'],
  ['colon', 'C:1'],
];
