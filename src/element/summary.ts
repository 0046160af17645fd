/**
 * The overall line's words: confirmed, failed and canceled counts, and the phase with speed and
 * time left only while bytes really move (not offline, not paused, not while Mixpeek
 * processes); paused files are left out of the time left.
 */
import type { UploadFileInfo } from '../events.ts';
import { TERMINAL_TASK_STATUSES } from '../api/types.ts';
import { isFinal } from '../engine/status.ts';
import type { Uploader } from '../engine/uploader.ts';
import { inFlight } from './row.ts';
import { formatDuration, formatSpeed, type UploaderStrings } from './strings.ts';

/** Bytes still to send of the files that will move without anyone resuming them. */
export function bytesLeft(files: readonly UploadFileInfo[]): number {
  let left = 0;
  for (const f of files) if (inFlight.has(f.status) && !f.paused) left += f.size - f.bytesUploaded;
  return left;
}

/** True while bytes are moving: a run, online, not paused, a file sending. */
export function bytesMoving(engine: Uploader, files: readonly UploadFileInfo[]): boolean {
  return (
    engine.running &&
    !engine.paused &&
    engine.online &&
    files.some((f) => f.status === 'uploading' && !f.paused && f.bytesUploaded > 0 && f.bytesUploaded < f.size)
  );
}

/** The phase words, with speed and time left when bytes move. */
export function phaseText(
  engine: Uploader,
  files: readonly UploadFileInfo[],
  speed: number,
  t: UploaderStrings,
  lang: string | undefined,
): string {
  if (!engine.running) return files.length > 0 && files.every((f) => isFinal(f.status)) ? t.phaseDone : '';
  if (!engine.online) return t.offline;
  if (engine.paused) return t.phasePaused;
  if (files.some((f) => f.status === 'confirming')) return t.phaseConfirming(engine.batches.length + 1);
  const processing = engine.batches.filter((b) => !TERMINAL_TASK_STATUSES.has(b.status)).length;
  if (processing > 0 && !files.some((f) => inFlight.has(f.status) && !f.paused)) return t.phaseProcessing(processing);
  if (speed > 0 && bytesMoving(engine, files)) {
    const left = bytesLeft(files);
    return `${t.phaseUploading} · ${t.speedAndTimeLeft(formatSpeed(speed, lang), formatDuration((left / speed) * 1000, lang))}`;
  }
  return t.phaseUploading;
}
