// A COS Select statement: parsed by node-sql-parser, checked against COS's subset (one SELECT FROM
// COSObject, WHERE, LIMIT; no joins, grouping or ordering) and compiled into what the scan calls.
import nodeSqlParser from 'node-sql-parser';
import { cosError } from '../errors/cos-error.ts';
import { compileExpression, isNode, nodeType, pathOf, unsupported, type Aggregate, type AstNode, type Evaluate, type PathStep, type Row, type Scope } from './expression.ts';
import type { SqlValue } from './values.ts';

/** One output record: names (for JSON output) and values, in SELECT order. */
export type OutputRecord = ReadonlyArray<readonly [string, SqlValue]>;

export interface Query {
  /** FROM COSObject[*].path: the records are what the path finds in each JSON value ('*' spreads an array). */
  readonly from: readonly (PathStep | '*')[];
  readonly where: Evaluate | undefined;
  readonly limit: number | undefined;
  /** rows: one output record per matching record; aggregate: one for all of them, once the scan ends. */
  readonly select: { kind: 'rows'; project(row: Row): OutputRecord } | { kind: 'aggregate'; add(row: Row): void; result(): OutputRecord };
}

export interface QueryInput {
  readonly input: 'csv' | 'json';
  readonly named: boolean;
}

// Athena's grammar parses COS's paths (s.a.b, s.a[0]), CAST AS INT/DECIMAL/STRING and TRIM(BOTH ... FROM),
// which the MySQL/PostgreSQL grammars of node-sql-parser 5.4 refuse in part (checked when choosing).
const DIALECT = { database: 'Athena' };
const parser = new nodeSqlParser.Parser();

/**
 * `FROM COSObject[*].a.b[*]` is COS's (S3's) JSON path in FROM, which no grammar of node-sql-parser knows:
 * it is cut off here, before parsing, and kept as steps.
 */
const FROM_PATH = /\bFROM\s+COSObject((?:\s*(?:\[\*\]|\[\d+\]|\.\s*[A-Za-z_][\w$]*))+)/i;
const PATH_STEP = /\[\*\]|\[(\d+)\]|\.\s*([A-Za-z_][\w$]*)/g;

function splitFromPath(expression: string): { sql: string; from: (PathStep | '*')[] } {
  const match = FROM_PATH.exec(expression);
  const path = match?.[1];
  if (!match || path === undefined) return { sql: expression, from: [] };
  // PATH_STEP's three forms: [n] sets the index, .name the name, [*] neither.
  const steps = [...path.matchAll(PATH_STEP)].map(([, index, name]): PathStep | '*' => name ?? (index === undefined ? '*' : Number(index)));
  // COSObject[*] is each value of the object itself: the first [*] adds nothing.
  if (steps[0] === '*') steps.shift();
  const sql = expression.slice(0, match.index) + 'FROM COSObject' + expression.slice(match.index + match[0].length);
  return { sql, from: steps };
}

const isLogical = (node: AstNode): boolean => nodeType(node) === 'binary_expr' && ['AND', 'OR'].includes(String(node['operator']).toUpperCase()) && !node['parentheses'];

/**
 * node-sql-parser 5.4's Athena grammar folds AND and OR left to right (`a OR b AND c` comes out as
 * `(a OR b) AND c`); SQL binds AND tighter. An unparenthesised chain is rebuilt here: ORs of ANDs.
 */
function withLogicalPrecedence(node: AstNode): AstNode {
  if (!isLogical(node)) return node;
  const operands: AstNode[] = [];
  const operators: string[] = [];
  let at: AstNode = node;
  while (isLogical(at) && isNode(at['left']) && isNode(at['right'])) {
    operands.unshift(at['right']);
    operators.unshift(String(at['operator']).toUpperCase());
    at = at['left'];
  }
  operands.unshift(at);
  const fold = (items: AstNode[], operator: string): AstNode =>
    items.slice(1).reduce<AstNode>((left, right) => ({ type: 'binary_expr', operator, left, right, parentheses: true }), items[0] ?? at);
  const terms: AstNode[][] = [[operands[0] ?? at]];
  operators.forEach((operator, index) => {
    const operand = operands[index + 1] ?? at;
    if (operator === 'OR') terms.push([operand]);
    else terms[terms.length - 1]?.push(operand);
  });
  return fold(
    terms.map((term) => fold(term, 'AND')),
    'OR',
  );
}

/** Applies withLogicalPrecedence to every node of the tree. */
function fixPrecedence(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fixPrecedence);
  if (!isNode(value)) return value;
  const fixed = withLogicalPrecedence(value);
  return Object.fromEntries(Object.entries(fixed).map(([name, child]) => [name, fixPrecedence(child)]));
}

function parseStatement(sql: string): AstNode {
  let ast: unknown;
  try {
    ast = parser.astify(sql, DIALECT);
  } catch (error) {
    throw cosError('ParseUnexpectedToken', { message: `The SQL expression could not be parsed: ${error instanceof Error ? error.message.slice(0, 200) : 'syntax error'}` });
  }
  if (Array.isArray(ast)) {
    if (ast.length !== 1) throw unsupported('more than one statement');
    ast = ast[0];
  }
  if (!isNode(ast) || nodeType(ast) !== 'select') throw unsupported('a statement other than SELECT');
  const clause = ['with', 'options', 'distinct', 'groupby', 'having', 'orderby', '_next'].find((name) => ast[name] !== null && ast[name] !== undefined);
  if (clause) throw unsupported(clause === '_next' ? 'UNION' : clause.toUpperCase());
  return fixPrecedence(ast) as AstNode;
}

/** The FROM alias; anything but one COSObject is unsupported. */
function aliasOf(ast: AstNode): string | undefined {
  const from = ast['from'];
  const table = Array.isArray(from) && from.length === 1 && isNode(from[0]) ? from[0] : undefined;
  if (!table || typeof table['table'] !== 'string' || table['table'].toLowerCase() !== 'cosobject' || table['db'] || table['join']) {
    throw unsupported('a FROM other than COSObject');
  }
  return typeof table['as'] === 'string' ? table['as'] : undefined;
}

function limitOf(ast: AstNode): number | undefined {
  const limit = ast['limit'];
  const values = isNode(limit) && Array.isArray(limit['value']) ? limit['value'] : [];
  if (values.length === 0) return undefined;
  const first: unknown = values[0];
  const count = isNode(first) && nodeType(first) === 'number' ? first['value'] : undefined;
  if (values.length !== 1 || typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw unsupported('this LIMIT');
  return count;
}

/** Whether an aggregate call is anywhere in the expression (the query is then an aggregate one). */
const hasAggregate = (value: unknown): boolean =>
  Array.isArray(value) ? value.some(hasAggregate) : isNode(value) && (nodeType(value) === 'aggr_func' || Object.values(value).some(hasAggregate));

const isStar = (node: AstNode): boolean => nodeType(node) === 'column_ref' && node['column'] === '*';

/** `SELECT *`: every field, named by the header (or _1, _2 ...), or the JSON value's members. */
function everything(row: Row): OutputRecord {
  if ('csv' in row) return row.csv.map((value, index) => [row.header?.names[index] ?? `_${index + 1}`, value] as const);
  const value = row.json;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [['_1', value]];
}

/** An unaliased column is named by its last member; any other expression by its place (_1, _2 ...). */
function nameOf(expr: AstNode, alias: unknown, position: number, scope: Scope): string {
  if (typeof alias === 'string') return alias;
  if (nodeType(expr) === 'column_ref') {
    const last = pathOf(expr, scope.alias).filter((step) => typeof step === 'string').pop();
    if (last !== undefined) return last;
  }
  return `_${position + 1}`;
}

/** The statement, compiled; COS's error (400) for SQL outside its subset or that does not parse. */
export function compileQuery(expression: string, input: QueryInput): Query {
  const { sql, from } = splitFromPath(expression);
  if (from.length > 0 && input.input !== 'json') throw unsupported('a path in FROM over CSV');
  const ast = parseStatement(sql);
  const alias = aliasOf(ast);
  const scope: Scope = { alias, input: input.input, named: input.named };
  const where = isNode(ast['where']) ? compileExpression(ast['where'], scope) : undefined;
  const columns = (Array.isArray(ast['columns']) ? ast['columns'] : []).filter(isNode);
  const exprs = columns.map((column) => (isNode(column['expr']) ? column['expr'] : column));
  if (exprs.length === 0) throw cosError('ParseUnexpectedToken', { message: 'The SELECT list is empty.' });
  const limit = limitOf(ast);
  if (exprs.some(isStar)) {
    if (exprs.length > 1) throw unsupported('* with other columns');
    return { from, where, limit, select: { kind: 'rows', project: everything } };
  }
  const names = exprs.map((expr, index) => nameOf(expr, columns[index]?.['as'], index, scope));
  const aggregates: Aggregate[] = [];
  const listScope = exprs.some(hasAggregate) ? { ...scope, aggregates } : scope;
  const compiled = exprs.map((expr) => compileExpression(expr, listScope));
  const project = (row: Row): OutputRecord => compiled.map((evaluate, index) => [names[index] ?? `_${index + 1}`, evaluate(row)] as const);
  if (aggregates.length === 0) return { from, where, limit, select: { kind: 'rows', project } };
  const empty: Row = { json: null };
  return {
    from,
    where,
    limit,
    select: { kind: 'aggregate', add: (row) => aggregates.forEach((aggregate) => aggregate.add(row)), result: () => project(empty) },
  };
}
