import { css } from 'lit';

/**
 * The element's styles. Theme through the `--mixpeek-uploader-*` custom properties or the
 * `::part()`s; light and dark defaults follow `prefers-color-scheme`; `compact` tightens it.
 */
export const styles = css`
  :host {
    --_accent: var(--mixpeek-uploader-accent, #3b5bdb);
    --_bg: var(--mixpeek-uploader-background, #ffffff);
    --_text: var(--mixpeek-uploader-text, #1d2330);
    --_muted: color-mix(in srgb, var(--_text) 72%, var(--_bg));
    --_border: var(--mixpeek-uploader-border, #8c96a5);
    --_radius: var(--mixpeek-uploader-radius, 8px);
    --_space: var(--mixpeek-uploader-spacing, 0.75rem);
    --_error: var(--mixpeek-uploader-error, #c92a2a);
    --_ok: var(--mixpeek-uploader-success, #1e7b34);
    --_row: 2.6rem;
    display: block;
    font: var(--mixpeek-uploader-font, 14px/1.4 system-ui, sans-serif);
    color: var(--_text);
    background: var(--_bg);
    border-radius: var(--_radius);
    padding: var(--_space);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--mixpeek-uploader-accent, #91a7ff);
      --_bg: var(--mixpeek-uploader-background, #1a1d23);
      --_text: var(--mixpeek-uploader-text, #e9ecef);
      --_border: var(--mixpeek-uploader-border, #5c6370);
      --_error: var(--mixpeek-uploader-error, #ff8787);
      --_ok: var(--mixpeek-uploader-success, #69db7c);
    }
  }
  :host([hidden]) {
    display: none;
  }
  :host([compact]) {
    --_space: var(--mixpeek-uploader-spacing, 0.4rem);
    --_row: 2.1rem;
    font-size: 13px;
  }
  :host([disabled]) {
    opacity: 0.6;
  }
  .zone {
    display: flex;
    gap: calc(var(--_space) / 2);
    align-items: stretch;
  }
  [part~='dropzone'] {
    flex: 1;
    font: inherit;
    color: inherit;
    background: transparent;
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.5) var(--_space);
    text-align: center;
    cursor: pointer;
  }
  :host([compact]) [part~='dropzone'] {
    padding: var(--_space);
  }
  :host([dragover]) [part~='dropzone'] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 10%, transparent);
  }
  [part~='browse-button'] {
    color: var(--_accent);
    font-weight: 600;
    text-decoration: underline;
  }
  button {
    font: inherit;
    padding: 0.35rem 0.85rem;
    border-radius: calc(var(--_radius) - 2px);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_bg);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible,
  [part~='dropzone']:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_accent) 60%, transparent);
    outline-offset: 2px;
  }
  .controls {
    display: flex;
    gap: 0.5rem;
    margin: var(--_space) 0;
    flex-wrap: wrap;
    align-items: center;
  }
  progress {
    width: 100%;
    height: 0.5rem;
    accent-color: var(--_accent);
  }
  [part~='summary'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0.25rem 1rem;
    font-variant-numeric: tabular-nums;
  }
  .muted {
    color: var(--_muted);
  }
  [part~='file-list'] {
    /* The list scrolls inside the element (the virtualizer renders only the rows in view). */
    height: auto;
    overflow: auto;
    margin-top: calc(var(--_space) / 2);
    border-top: 1px solid color-mix(in srgb, var(--_text) 15%, transparent);
  }
  [part~='file-list'].long {
    height: 20rem;
  }
  :host([compact]) [part~='file-list'].long {
    height: 12rem;
  }
  [part~='file'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto auto auto;
    align-items: center;
    gap: 0 0.75rem;
    width: 100%;
    box-sizing: border-box;
    min-height: var(--_row);
    padding: 0.25rem 0;
    border-bottom: 1px solid color-mix(in srgb, var(--_text) 10%, transparent);
  }
  [part~='file'] progress {
    grid-column: 1 / -1;
    height: 0.25rem;
  }
  .name {
    white-space: pre;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .status {
    min-width: 6.5em;
    text-align: end;
  }
  [data-status='done'] .status {
    color: var(--_ok);
  }
  [data-status='failed'] .status,
  [part~='error'],
  .notice-inline,
  .problem {
    color: var(--_error);
  }
  [part~='error'] {
    grid-column: 1 / -1;
    overflow-wrap: anywhere;
  }
  .row-actions {
    display: inline-flex;
    gap: 0.25rem;
  }
  button.row {
    padding: 0 0.5rem;
    font-size: 0.85em;
  }
  .notice {
    margin: calc(var(--_space) / 2) 0 0;
  }
  .notice:empty {
    display: none;
  }
  .notice ul {
    max-height: 6rem;
    overflow: auto;
    margin: 0.25rem 0 0;
    padding-inline-start: 1.25rem;
  }
  .offline {
    color: var(--mixpeek-uploader-warning, #b35c00);
    margin: 0 0 calc(var(--_space) / 2);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  input[type='file'] {
    display: none;
  }
  @media (prefers-reduced-motion: no-preference) {
    progress::-webkit-progress-value {
      transition: width 0.2s ease-out;
    }
  }
`;
