/** The Uppy transfer against the emulator's storage: its queue ahead and each job's `onStart`. */
import { expect } from '@esm-bundle/chai';
import { createUppyTransfer } from '../../src/transfer/uppy-transfer.ts';
import type { TransferJob } from '../../src/transfer/types.ts';
import { emulatorRequests, env, patternFile, resetEmulator } from '../support/fixtures.ts';

/** `count` uploads created straight through the API, as jobs for their files. */
async function jobs(count: number): Promise<TransferJob[]> {
  const files = Array.from({ length: count }, (_, i) => patternFile(`q${i}.bin`, 200_000, 'application/octet-stream', i));
  const response = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/batch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      uploads: files.map((f) => ({ filename: f.name, content_type: f.type, file_size_bytes: f.size })),
    }),
  });
  const { uploads } = (await response.json()) as { uploads: { upload_id: string; presigned_url: string }[] };
  return uploads.map((u, i) => ({
    id: u.upload_id,
    file: files[i]!,
    name: files[i]!.name,
    url: u.presigned_url,
    contentType: files[i]!.type,
  }));
}

describe('Uppy transfer', () => {
  beforeEach(resetEmulator);

  it('queues jobs beyond its concurrency and starts each, with onStart, only when a slot frees', async () => {
    const transfer = createUppyTransfer({ concurrency: 1 });
    expect(transfer.queueAhead).to.be.greaterThan(0);
    const events: string[] = [];
    try {
      const all = (await jobs(3)).map((job, i) =>
        transfer.put({ ...job, onStart: () => events.push(`start ${i}`) }, () => undefined).then(() => events.push(`done ${i}`)),
      );
      await Promise.all(all);
    } finally {
      transfer.dispose();
    }
    expect(events).to.deep.equal(['start 0', 'done 0', 'start 1', 'done 1', 'start 2', 'done 2']);
  });

  it('does not send a job whose onStart throws, and rejects its put with what was thrown', async () => {
    const transfer = createUppyTransfer({ concurrency: 1 });
    const refusal = new Error('expired while it waited');
    try {
      const [first, second] = await jobs(2);
      const sent = transfer.put(first!, () => undefined);
      const refused = transfer.put(
        {
          ...second!,
          onStart: () => {
            throw refusal;
          },
        },
        () => undefined,
      );
      await sent;
      expect(
        await refused.then(
          () => 'sent',
          (error: unknown) => error,
        ),
      ).to.equal(refusal);
    } finally {
      transfer.dispose();
    }
    const puts = (await emulatorRequests()).filter((r) => r.kind === 'storage' && r.method === 'PUT');
    expect(puts).to.have.length(1);
  });
});
