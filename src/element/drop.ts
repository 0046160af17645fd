/**
 * Files from a drop or a paste, folders included: a dropped folder is walked recursively
 * (`DataTransferItem.webkitGetAsEntry`, File and Directory Entries API) and each file keeps its
 * path inside it, so `a/report.pdf` and `b/report.pdf` stay two files.
 */
import type { FileWithPath } from '../engine/uploader.ts';

/** Every file in a `DataTransfer` (drop or paste), with folder paths. */
export async function filesFromDataTransfer(data: DataTransfer): Promise<FileWithPath[]> {
  const entries = Array.from(data.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null)) {
    // No entry API (or a paste of plain files): take the files as they are.
    return Array.from(data.files).map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
  }
  const out: FileWithPath[] = [];
  for (const entry of entries as FileSystemEntry[]) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: FileWithPath[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relativePath: path || file.name });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in chunks (about 100 in Chromium) until it answers an empty list.
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) break;
    for (const child of chunk) await walk(child, out);
  }
}
