/** Commit messages that say what changed where, readable in `git log --oneline` and in a PR. */
import type { FieldChange } from './change-set.ts';

/** `sha256:1a2b3c4d5e6f` for a pinned image, `:1.3.0` for a tag, the text otherwise. */
export function shortImage(image: string | undefined): string {
  if (image === undefined || image === '') return '(none)';
  const digest = /@(sha256|sha512):([a-f0-9]{12})[a-f0-9]*$/.exec(image);
  if (digest) return `${digest[1]}:${digest[2]}`;
  const tag = /:([\w][\w.-]*)$/.exec(image.slice(image.lastIndexOf('/') + 1));
  return tag ? `:${tag[1]}` : image;
}

export function commitMessage(subject: string, fields: FieldChange[], command: string): string {
  const byFile = new Map<string, FieldChange[]>();
  for (const field of fields) byFile.set(field.file, [...(byFile.get(field.file) ?? []), field]);
  const body = [...byFile].map(
    ([file, changes]) =>
      `${file}\n${changes.map((c) => `  ${c.field}: ${c.from ?? '(none)'} -> ${c.to ?? '(removed)'}`).join('\n')}`,
  );
  return `${subject}\n\n${body.join('\n')}${body.length > 0 ? '\n\n' : ''}Pilar-Command: ${command}\n`;
}
