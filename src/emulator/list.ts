/**
 * Filtering, search, sorting, pagination and stats for `POST …/uploads/list`
 * (Mixpeek OpenAPI 0.81: `ListUploadsRequest`, `LogicalOperator`, `SortOption`,
 * `ListUploadsResponse`, `PaginationResponse`).
 */
import { RequestValidationError } from './errors.ts';
import type { JsonObject, UploadRecord } from './types.ts';
import type { ListInput } from './validate.ts';

/** An upload and its wire form (`UploadResponse`), which filters and sort fields address. */
export interface ListRow {
  record: UploadRecord;
  doc: JsonObject;
}

/** Reads a dotted path (`metadata.campaign`) out of a JSON object. */
export function getPath(doc: JsonObject, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as JsonObject)[part];
  }
  return cur;
}

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'starts_with', 'ends_with', 'exists'];

function evalCondition(doc: JsonObject, field: string, operator: string, value: unknown): boolean {
  const actual = getPath(doc, field);
  const eq = (x: unknown, y: unknown): boolean => x === y || JSON.stringify(x) === JSON.stringify(y);
  switch (operator) {
    case 'eq':
      return eq(actual, value);
    case 'ne':
      return !eq(actual, value);
    case 'gt':
      return actual !== null && actual !== undefined && compareValues(actual, value) > 0;
    case 'gte':
      return actual !== null && actual !== undefined && compareValues(actual, value) >= 0;
    case 'lt':
      return actual !== null && actual !== undefined && compareValues(actual, value) < 0;
    case 'lte':
      return actual !== null && actual !== undefined && compareValues(actual, value) <= 0;
    case 'in':
      return Array.isArray(value) && value.some((v) => eq(actual, v));
    case 'nin':
      return Array.isArray(value) && !value.some((v) => eq(actual, v));
    case 'contains':
      if (Array.isArray(actual)) return actual.some((v) => eq(v, value));
      return typeof actual === 'string' && typeof value === 'string' && actual.toLowerCase().includes(value.toLowerCase());
    case 'starts_with':
      return typeof actual === 'string' && typeof value === 'string' && actual.startsWith(value);
    case 'ends_with':
      return typeof actual === 'string' && typeof value === 'string' && actual.endsWith(value);
    case 'exists':
      return (actual !== undefined && actual !== null) === (value !== false);
    default:
      return false;
  }
}

/**
 * Evaluates Mixpeek's list filters (Mixpeek OpenAPI 0.81, `LogicalOperator`): shorthand
 * equality `{"status": "PENDING", "metadata.campaign": "x"}` (an array value means "any of"),
 * or `AND` / `OR` / `NOT` lists of `{field, operator, value}` or nested groups. Operators
 * supported: eq, ne, gt, gte, lt, lte, in, nin, contains, starts_with, ends_with, exists.
 */
export function evalFilter(doc: JsonObject, filter: JsonObject): boolean {
  return Object.entries(filter).every(([key, value]) => {
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      const nodes = Array.isArray(value) ? value : [value];
      const results = nodes.map((node) => evalNode(doc, node));
      if (key === 'AND') return results.every(Boolean);
      if (key === 'OR') return results.some(Boolean);
      return !results.some(Boolean);
    }
    if (Array.isArray(value)) return evalCondition(doc, key, 'in', value);
    return evalCondition(doc, key, 'eq', value);
  });
}

function evalNode(doc: JsonObject, node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const n = node as JsonObject;
  if (typeof n.field === 'string' && typeof n.operator === 'string') return evalCondition(doc, n.field, n.operator, n.value);
  return evalFilter(doc, n);
}

/** Throws a 422 for filter conditions with an unknown operator. */
export function checkFilterOperators(filter: unknown, loc: (string | number)[]): void {
  if (Array.isArray(filter)) {
    for (const [i, f] of filter.entries()) checkFilterOperators(f, [...loc, i]);
    return;
  }
  if (typeof filter !== 'object' || filter === null) return;
  const f = filter as JsonObject;
  if (typeof f.field === 'string' && 'operator' in f) {
    if (typeof f.operator !== 'string' || !FILTER_OPERATORS.includes(f.operator)) {
      throw new RequestValidationError([
        {
          type: 'enum',
          loc: [...loc, 'operator'],
          msg: `Input should be one of ${FILTER_OPERATORS.map((o) => `'${o}'`).join(', ')}`,
          input: f.operator,
        },
      ]);
    }
    return;
  }
  for (const key of ['AND', 'OR', 'NOT']) if (key in f) checkFilterOperators(f[key], [...loc, key]);
}

/**
 * Applies a validated list request. Filters and sort fields address the `UploadResponse`
 * fields (dotted paths reach into `metadata`); default sort `created_at` descending (Mixpeek
 * OpenAPI 0.81, `ListUploadsRequest.sort`); `search` is a case-insensitive substring match on the
 * filename and the stringified metadata values (Mixpeek OpenAPI 0.81, `ListUploadsRequest.search`).
 * Emulator's choices: pagination totals are always filled (Mixpeek fills them only with
 * `include_total=true`), `next_cursor` is always null, and `stats` cover every upload matching
 * the filters, not just the page.
 */
export function listUploads(rows: ListRow[], input: ListInput): JsonObject {
  if (input.filters) checkFilterOperators(input.filters, ['body', 'filters']);
  let docs = rows;
  if (input.filters) {
    const filters = input.filters;
    docs = docs.filter(({ doc }) => evalFilter(doc, filters));
  }
  if (input.search) {
    const needle = input.search.toLowerCase();
    docs = docs.filter(({ record }) => {
      if (record.filename.toLowerCase().includes(needle)) return true;
      return Object.values(record.metadata).some((v) =>
        (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).toLowerCase().includes(needle),
      );
    });
  }
  const field = input.sort?.field ?? 'created_at';
  const sign = (input.sort?.direction ?? 'desc') === 'asc' ? 1 : -1;
  docs = [...docs].sort((a, b) => {
    const primary = compareValues(getPath(a.doc, field), getPath(b.doc, field));
    return primary !== 0 ? sign * primary : sign * (a.record.seq - b.record.seq);
  });

  const total = docs.length;
  const { limit, offset } = input;
  const page = Math.floor(offset / limit) + 1;
  const sizes = docs.map(({ record }) => record.file_size_bytes).filter((s): s is number => s !== null);
  const byStatus: Record<string, number> = {};
  for (const { record } of docs) byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
  const totalSize = sizes.reduce((a, b) => a + b, 0);
  return {
    results: docs.slice(offset, offset + limit).map(({ doc }) => doc),
    pagination: {
      total,
      page,
      page_size: limit,
      total_pages: Math.ceil(total / limit),
      next_page: offset + limit < total ? page + 1 : null,
      previous_page: page > 1 ? page - 1 : null,
      next_cursor: null,
    },
    stats: {
      total_uploads: total,
      /** bytes */
      total_size_bytes: totalSize,
      uploads_by_status: byStatus,
      /** bytes, over uploads with a known size */
      avg_file_size_bytes: sizes.length > 0 ? totalSize / sizes.length : 0,
      unique_buckets: new Set(docs.map(({ record }) => record.bucket_id)).size,
    },
  };
}
