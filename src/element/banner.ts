/**
 * The one banner for a setup problem: when files fail because the page cannot use the API or
 * storage at all (unreachable API, CORS, 401/403, unknown bucket or namespace, unusable
 * options), it says once what happened, what to check, and how many files it stopped, instead
 * of a line under every file.
 */
import { html, nothing } from 'lit';
import type { MixpeekUploaderError } from '../errors.ts';
import type { UploadFileInfo } from '../events.ts';
import { actionIcon } from './icons.ts';
import { type SetupProblem, setupProblemOf } from './problems.ts';
import type { UploaderStrings } from './strings.ts';

/** The setup problem to show (the engine's own first, then the one most failed files share), and how many files it stopped. */
export function currentSetupProblem(
  files: readonly UploadFileInfo[],
  engineError: MixpeekUploaderError | undefined,
): { problem: SetupProblem; files: number; detail?: string } | undefined {
  if (engineError) return { problem: setupProblemOf(engineError) ?? 'invalid-options', files: 0, detail: engineError.message };
  const counts = new Map<SetupProblem, number>();
  for (const f of files) {
    if (f.status !== 'failed' || !f.error) continue;
    const problem = setupProblemOf(f.error);
    if (problem) counts.set(problem, (counts.get(problem) ?? 0) + 1);
  }
  let best: { problem: SetupProblem; files: number } | undefined;
  for (const [problem, count] of counts) if (!best || count > best.files) best = { problem, files: count };
  return best;
}

/** The one banner (`::part(banner)`) for the setup problem most files share, with what to check; `nothing` when there is none. */
export function renderBanner(shown: ReturnType<typeof currentSetupProblem>, t: UploaderStrings) {
  if (!shown) return nothing;
  const words = shown.problem === 'invalid-options' ? { title: t.errors['invalid-options'], check: '' } : t.setup[shown.problem];
  return html`<div part="banner" role="alert" data-problem=${shown.problem}>
    ${actionIcon('warning')}
    <div>
      <strong>${words.title}</strong>
      <span>${words.check}${shown.detail ? ` ${shown.detail}` : ''}</span>
      ${shown.files > 0 ? html`<span class="muted">${t.setupFiles(shown.files)}</span>` : nothing}
    </div>
  </div>`;
}
