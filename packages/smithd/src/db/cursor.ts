/** Paging cursors: opaque to clients, a position in a sorted column to us. */
import { DeploySmithError } from '@deploysmith/core';

export function encodeCursor(position: number): string {
  return Buffer.from(`p${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^p(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new DeploySmithError('invalid_input', 'The cursor is not one this server handed out.', {
      hint: 'Pass the nextCursor of the previous page unchanged, or leave the cursor out to start again.',
      details: [{ field: 'cursor', message: 'invalid cursor' }],
    });
  }
  return Number(match[1]);
}
