import { css } from 'lit';

/**
 * The element's styles. Theme through the `--mixpeek-uploader-*` custom properties or the
 * `::part()`s; light and dark defaults follow `prefers-color-scheme`; `compact` tightens it.
 * Rows lay out by the element's own width (a container query): below 36rem the size and status
 * go under the name and the row's buttons show their icons alone.
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
    --_warn: var(--mixpeek-uploader-warning, #a35200);
    --_icon: var(--mixpeek-uploader-icon, var(--_muted));
    --_zone-bg: var(--mixpeek-uploader-dropzone-background, color-mix(in srgb, var(--_accent) 4%, var(--_bg)));
    --_preview: var(--mixpeek-uploader-preview-size, 2.5rem);
    --_list-max: var(--mixpeek-uploader-list-height, 22rem);
    --_row: calc(var(--_preview) + 0.75rem + 1px);
    display: block;
    position: relative;
    container-type: inline-size;
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
      --_warn: var(--mixpeek-uploader-warning, #ffc078);
    }
  }
  :host([hidden]) {
    display: none;
  }
  :host([compact]) {
    --_space: var(--mixpeek-uploader-spacing, 0.4rem);
    --_preview: var(--mixpeek-uploader-preview-size, 1.75rem);
    font-size: 13px;
  }
  :host([disabled]) {
    opacity: 0.6;
  }
  .icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  .zone {
    display: flex;
    gap: calc(var(--_space) / 2);
    align-items: stretch;
  }
  .zone.empty {
    flex-direction: column;
    align-items: center;
  }
  [part~='dropzone'] {
    flex: 1;
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    font: inherit;
    color: inherit;
    background: var(--_zone-bg);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    text-align: center;
    cursor: pointer;
  }
  .zone.empty [part~='dropzone'] {
    align-self: stretch;
    flex-direction: column;
    gap: 0.35rem;
    min-height: 11rem;
    padding: calc(var(--_space) * 2) var(--_space);
  }
  .zone.empty [part~='dropzone'] .icon {
    width: 2.25rem;
    height: 2.25rem;
    color: var(--_accent);
  }
  .zone-title {
    font-size: 1.15em;
    font-weight: 600;
  }
  .zone.empty [class^='zone-'] {
    display: block;
  }
  :host([dragover]) [part~='dropzone'] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, var(--_bg));
  }
  [part~='browse-button'] {
    color: var(--_accent);
    font-weight: 600;
    text-decoration: underline;
  }
  [part~='folder-button'] {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
  }
  :host([dragover]) {
    outline: 2px dashed var(--_accent);
    outline-offset: -2px;
    background: color-mix(in srgb, var(--_accent) 8%, var(--_bg));
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
  [part~='file-list']:focus-visible {
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
  [part~='banner'] {
    display: flex;
    gap: 0.6rem;
    align-items: flex-start;
    margin: 0 0 var(--_space);
    padding: 0.6rem 0.75rem;
    border: 1px solid var(--_error);
    border-inline-start-width: 4px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_error) 8%, var(--_bg));
  }
  [part~='banner'] .icon {
    color: var(--_error);
    margin-top: 0.1em;
  }
  [part~='banner'] div {
    display: flex;
    flex-direction: column;
    gap: 0.15rem;
    min-width: 0;
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
  .offline {
    color: var(--_warn);
  }
  .list-head {
    margin-top: calc(var(--_space) / 2);
    font-size: 0.9em;
  }
  [part~='file-list'] {
    height: min(calc(var(--_rows, 1) * (var(--_row) + 2px)), var(--_list-max));
    overflow: auto;
    margin-top: 0.25rem;
    border-top: 1px solid color-mix(in srgb, var(--_text) 15%, transparent);
    border-radius: 2px;
  }
  :host([compact]) [part~='file-list'] {
    --_list-max: var(--mixpeek-uploader-list-height, 12rem);
  }
  [part~='file'] {
    display: grid;
    grid-template-columns: var(--_preview) minmax(0, 1fr) auto auto auto;
    grid-template-rows: minmax(var(--_preview), auto);
    grid-template-areas:
      'preview name size status actions'
      '. error error error error';
    align-items: center;
    gap: 0 0.75rem;
    width: 100%;
    box-sizing: border-box;
    position: relative;
    min-height: var(--_row);
    padding: 0.375rem 0.25rem;
    border-bottom: 1px solid color-mix(in srgb, var(--_text) 10%, transparent);
  }
  [part~='preview'] {
    grid-area: preview;
    position: relative;
    display: grid;
    place-items: center;
    width: var(--_preview);
    height: var(--_preview);
    border-radius: calc(var(--_radius) - 3px);
    background: color-mix(in srgb, var(--_text) 6%, var(--_bg));
    color: var(--_icon);
    overflow: hidden;
  }
  [part~='preview'] .icon {
    width: 60%;
    height: 60%;
  }
  [part~='preview'] canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
    opacity: 0;
  }
  [part~='preview'] canvas[data-ready] {
    opacity: 1;
  }
  .name {
    grid-area: name;
    display: flex;
    min-width: 0;
    white-space: pre;
  }
  .name .head {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .name .tail {
    flex: none;
  }
  .meta {
    display: contents;
  }
  .size {
    grid-area: size;
    font-variant-numeric: tabular-nums;
  }
  .status {
    grid-area: status;
    min-width: 6.5em;
    text-align: end;
  }
  [data-status='done'] .status {
    color: var(--_ok);
  }
  [data-status='failed'] .status,
  [part~='error'],
  .notice-inline {
    color: var(--_error);
  }
  [data-status='canceled'] .status,
  [data-paused] .status {
    color: var(--_muted);
  }
  [part~='error'] {
    grid-area: error;
    overflow-wrap: anywhere;
    font-size: 0.92em;
  }
  [part~='file'] progress {
    position: absolute;
    inset-inline: calc(var(--_preview) + 1rem) 0.25rem;
    bottom: 0.2rem;
    width: auto;
    height: 0.2rem;
  }
  .actions {
    grid-area: actions;
    display: inline-flex;
    gap: 0.25rem;
    justify-content: end;
    min-width: 10.5rem;
  }
  button.row-action {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
    padding: 0.15rem 0.5rem;
    font-size: 0.85em;
    background: transparent;
    color: var(--_accent);
    border-color: color-mix(in srgb, var(--_accent) 55%, transparent);
  }
  button.row-action .icon {
    width: 1.15rem;
    height: 1.15rem;
  }

  @container (max-width: 36rem) {
    [part~='file'] {
      grid-template-columns: var(--_preview) minmax(0, 1fr) auto;
      grid-template-rows: minmax(calc(var(--_preview) / 2), auto) minmax(calc(var(--_preview) / 2), auto);
      grid-template-areas:
        'preview name actions'
        'preview meta actions'
        '. error error';
      gap: 0 0.6rem;
    }
    .name {
      align-self: end;
    }
    .meta {
      grid-area: meta;
      align-self: start;
      display: flex;
      gap: 0.5rem;
      min-width: 0;
      font-size: 0.9em;
    }
    .status {
      min-width: 0;
      text-align: start;
    }
    .actions {
      min-width: 0;
    }
    button.row-action {
      padding: 0.4rem;
    }
    button.row-action .label {
      display: none;
    }
    .zone:not(.empty) [part~='folder-button'] span {
      display: none;
    }
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
