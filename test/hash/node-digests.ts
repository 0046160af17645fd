/** SHA-256s computed by Node's `crypto` in the test runner's process (web-test-runner.config.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

/** Node's SHA-256 of `bytes`, lowercase hex. */
export async function nodeSha256(bytes: Uint8Array): Promise<string> {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return (await executeServerCommand('node-sha256', { base64: btoa(binary) })) as string;
}

/** Node's SHA-256 of P(size). */
export async function nodePatternSha256(size: number): Promise<string> {
  return (await executeServerCommand('node-sha256-pattern', { size })) as string;
}
