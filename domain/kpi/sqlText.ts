import type { SqlParam } from '../sql';

/**
 * SQL text with its positional parameters, composed so that every `?` travels with its value: a
 * fragment interpolated into another keeps its parameters in the order its text lands in.
 */
export interface Sql {
  readonly text: string;
  readonly params: readonly SqlParam[];
}

function isSql(v: unknown): v is Sql {
  return typeof v === 'object' && v !== null && typeof (v as Sql).text === 'string' && Array.isArray((v as Sql).params);
}

/**
 * sql`... ${value} ...`: a fragment becomes part of the text, anything else a `?` parameter.
 *   sql`s.ship_date BETWEEN ${from} AND ${to}` -> { text: 's.ship_date BETWEEN ? AND ?', params: [from, to] }
 */
export function sql(strings: TemplateStringsArray, ...values: (Sql | SqlParam)[]): Sql {
  let text = strings[0];
  const params: SqlParam[] = [];
  values.forEach((v, i) => {
    if (isSql(v)) {
      text += v.text;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1];
  });
  return { text, params };
}

/** Trusted text (identifiers, keywords) with no parameter. */
export function raw(text: string): Sql {
  return { text, params: [] };
}

/** Fragments joined by a separator (an empty list is empty text). */
export function joinSql(parts: readonly Sql[], separator: string): Sql {
  return { text: parts.map((p) => p.text).join(separator), params: parts.flatMap((p) => p.params) };
}

/** ` AND c1 AND c2 ...` (or nothing), to append conditions to a WHERE. */
export function andAll(conds: readonly Sql[]): Sql {
  return conds.length ? sql` AND ${joinSql(conds, ' AND ')}` : raw('');
}
