import { AppError } from '@llmlab/core';

/** An opaque page cursor for lists ordered by (time, id), newest first. */
export function encodeCursor(time: number, id: string): string {
  return Buffer.from(`${time}:${id}`).toString('base64url');
}

/** The (time, id) a cursor of encodeCursor holds; 400 for anything else. */
export function decodeCursor(cursor: string): { time: number; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!id || !/^\d+$/.test(time ?? '')) throw new AppError('bad_request', 'cursor is not one this API returned');
  return { time: Number(time), id };
}
