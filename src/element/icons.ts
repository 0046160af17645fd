/**
 * The element's one small set of inline SVG icons (24 × 24, stroked with `currentColor`, so a
 * theme colours them with `color` on the part around them): a file icon per kind, and the
 * actions' icons. Decorative: each is `aria-hidden`; the control around it carries the name.
 */
import { svg, type SVGTemplateResult } from 'lit';

/** What kind of file a row shows an icon for. */
export type FileKind = 'image' | 'video' | 'audio' | 'pdf' | 'text' | 'archive' | 'other';

const archive = /\.(zip|tar|gz|tgz|bz2|xz|7z|rar|zst)$/i;
const text = /\.(txt|md|csv|tsv|json|xml|ya?ml|html?|log|rtf|docx?|odt)$/i;

/** The kind of a file from its declared content type, then its name's extension. */
export function fileKind(contentType: string, name: string): FileKind {
  const type = contentType.toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type === 'application/pdf' || /\.pdf$/i.test(name)) return 'pdf';
  if (archive.test(name) || /zip|x-tar|compressed|x-7z|x-rar/.test(type)) return 'archive';
  if (type.startsWith('text/') || type.endsWith('json') || type.endsWith('xml') || text.test(name)) return 'text';
  return 'other';
}

const sheet = (inner: SVGTemplateResult) => svg`<path d="M6 2.75h8.25L19.25 7.75V21.25H6z" /><path d="M14 2.75V8h5.25" />${inner}`;

const kinds: Record<FileKind, SVGTemplateResult> = {
  image: svg`<rect x="3.75" y="4.75" width="16.5" height="14.5" rx="2" /><circle cx="9" cy="10" r="1.75" /><path d="m4.5 17.5 5-5 3.5 3.5 2.5-2.5 4 4" />`,
  video: svg`<rect x="2.75" y="5.75" width="13.5" height="12.5" rx="2" /><path d="m16.25 10.25 5-3v9.5l-5-3" />`,
  audio: svg`<path d="M9 17.5V5.25l10.25-2v11.5" /><circle cx="6.75" cy="17.5" r="2.25" /><circle cx="17" cy="14.75" r="2.25" />`,
  pdf: sheet(svg`<path d="M8.75 17.25h6.5M8.75 13.75h6.5" /><path d="M8.75 10.25h2.5" />`),
  text: sheet(svg`<path d="M8.75 11h6.5M8.75 14h6.5M8.75 17h4" />`),
  archive: sheet(svg`<path d="M11.5 4v1.5m0 1.5v1.5m0 1.5v1.5" /><rect x="10.25" y="12.5" width="2.5" height="3.5" rx="0.75" />`),
  other: sheet(svg``),
};

/** Action icons. */
const actions = {
  upload: svg`<path d="M12 15.5V4.5m0 0-4.25 4.25M12 4.5l4.25 4.25" /><path d="M4.5 14.5v3.75a1.75 1.75 0 0 0 1.75 1.75h11.5a1.75 1.75 0 0 0 1.75-1.75V14.5" />`,
  folder: svg`<path d="M3.25 6.5a1.75 1.75 0 0 1 1.75-1.75h4.25l2 2.25H19a1.75 1.75 0 0 1 1.75 1.75v8.75A1.75 1.75 0 0 1 19 19.25H5a1.75 1.75 0 0 1-1.75-1.75z" />`,
  pause: svg`<path d="M9 6v12M15 6v12" />`,
  resume: svg`<path d="M8 5.5v13l10.5-6.5z" />`,
  cancel: svg`<path d="m6.5 6.5 11 11m0-11-11 11" />`,
  retry: svg`<path d="M19.25 12a7.25 7.25 0 1 1-2.12-5.13" /><path d="M19.5 4.5v4.25h-4.25" />`,
  remove: svg`<path d="M4.75 7h14.5M9.75 7V4.75h4.5V7M6.75 7l.75 12.25h9l.75-12.25" />`,
  warning: svg`<path d="M12 3.75 2.75 19.75h18.5z" /><path d="M12 9.75v4.5M12 16.75v.5" />`,
} as const;

export type ActionIcon = keyof typeof actions;

const frame = (body: SVGTemplateResult) =>
  svg`<svg class="icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

/** The icon for a kind of file. */
export function kindIcon(kind: FileKind): SVGTemplateResult {
  return frame(kinds[kind]);
}

/** The icon of an action. */
export function actionIcon(name: ActionIcon): SVGTemplateResult {
  return frame(actions[name]);
}
