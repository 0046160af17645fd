/**
 * The element's one small set of inline SVG icons (24 × 24, stroked with `currentColor`, so a
 * theme colours them with `color` on the part around them): a file icon per kind, and the
 * actions' icons. Decorative: each is `aria-hidden`; the control around it carries the name.
 */
import { svg, type SVGTemplateResult } from 'lit';

/** What kind of file a row shows an icon for. */
export type FileKind = 'image' | 'video' | 'audio' | 'pdf' | 'text' | 'archive' | 'other';

const archive = /\.(zip|tar|gz|tgz|bz2|xz|7z|rar)$/i;
const text = /\.(txt|md|csv|json|xml|ya?ml|html?|log|docx?)$/i;

/** The kind of a file from its declared content type, then its name's extension. */
export function fileKind(contentType: string, name: string): FileKind {
  const type = contentType.toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type === 'application/pdf' || /\.pdf$/i.test(name)) return 'pdf';
  if (archive.test(name) || /zip|tar|compress|7z|rar/.test(type)) return 'archive';
  if (type.startsWith('text/') || /json|xml/.test(type) || text.test(name)) return 'text';
  return 'other';
}

const sheet = (inner: SVGTemplateResult) => svg`<path d="M6 3h8l5 5v13H6zM14 3v5h5" />${inner}`;

const kinds: Record<FileKind, SVGTemplateResult> = {
  image: svg`<rect x="4" y="5" width="16" height="14" rx="2" /><circle cx="9" cy="10" r="2" /><path d="m4 18 6-6 4 4 2-2 4 4" />`,
  video: svg`<rect x="3" y="6" width="13" height="12" rx="2" /><path d="m16 10 5-3v10l-5-3" />`,
  audio: svg`<path d="M9 18V5l10-2v12" /><circle cx="7" cy="18" r="2" /><circle cx="17" cy="15" r="2" />`,
  pdf: sheet(svg`<path d="M9 17h6M9 14h6M9 11h2" />`),
  text: sheet(svg`<path d="M9 11h6M9 14h6M9 17h4" />`),
  archive: sheet(svg`<path d="M11 4v2m0 2v2" /><rect x="10" y="12" width="3" height="4" rx="1" />`),
  other: sheet(svg``),
};

/** Action icons. */
const actions = {
  upload: svg`<path d="M12 16V4M8 8l4-4 4 4M5 14v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4" />`,
  folder: svg`<path d="M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />`,
  pause: svg`<path d="M9 6v12M15 6v12" />`,
  resume: svg`<path d="M8 5v14l11-7z" />`,
  cancel: svg`<path d="m6 6 12 12m0-12L6 18" />`,
  retry: svg`<path d="M19 12a7 7 0 1 1-2-5M19 4v4h-4" />`,
  remove: svg`<path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12" />`,
  warning: svg`<path d="M12 4 3 20h18zM12 10v4m0 3v.5" />`,
} as const;

/** The names of the row and toolbar action icons. */
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
