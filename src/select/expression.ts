// Compiles one expression of node-sql-parser's AST (Athena dialect) into a function of a record: column
// references, literals, operators, CAST, the string functions and, in a SELECT list, aggregates.
import { cosError } from '../errors/cos-error.ts';
import { asLogical, asNumber, asString, castTo, compareValues, type Json, type SqlValue } from './values.ts';

/** The first line of a CSV read with FileHeaderInfo USE: the names in order, and the position of each. */
export interface CsvHeader {
  readonly names: readonly string[];
  readonly positions: ReadonlyMap<string, number>;
}

/** A CSV record (its fields, and the header when FileHeaderInfo is USE) or a JSON value. */
export type Row = { readonly csv: readonly string[]; readonly header: CsvHeader | undefined } | { readonly json: Json };

export type Evaluate = (row: Row) => SqlValue;

/** An AST node as node-sql-parser hands it out; read through the helpers below, never trusted. */
export type AstNode = Readonly<Record<string, unknown>>;

export const isNode = (value: unknown): value is AstNode => typeof value === 'object' && value !== null && !Array.isArray(value);
export const nodeType = (node: AstNode): string => (typeof node['type'] === 'string' ? node['type'] : '');

/** One aggregate of a SELECT list: fed every record that passes WHERE, read once at the end. */
export interface Aggregate {
  add(row: Row): void;
  result(): SqlValue;
}

/** What compiling needs to know: the alias FROM gave, what the records are, where aggregates go. */
export interface Scope {
  readonly alias: string | undefined;
  readonly input: 'csv' | 'json';
  /** FileHeaderInfo USE: CSV columns may be named. */
  readonly named: boolean;
  /** Present in a SELECT list: aggregates register here. Absent (WHERE): an aggregate is an error. */
  readonly aggregates?: Aggregate[];
  /** Inside an aggregate's argument, where a column refers to the record being added. */
  readonly inAggregate?: boolean;
}

export const unsupported = (what: string) => cosError('UnsupportedSqlStructure', { message: `Unsupported in COS Select SQL: ${what}.` });

/** A member name or array index of a JSON path. */
export type PathStep = string | number;

/** `s.a.b[0].c` as steps [a, b, 0, c], the FROM alias (or COSObject) dropped. */
export function pathOf(node: AstNode, alias: string | undefined): PathStep[] {
  const column = node['column'];
  const name = typeof column === 'string' ? column : isNode(column) && isNode(column['expr']) ? column['expr']['value'] : undefined;
  if (typeof name !== 'string') throw unsupported('this column reference');
  const steps: PathStep[] = [node['schema'], node['table'], name].filter((part): part is string => typeof part === 'string');
  const first = steps[0];
  if (steps.length > 1 && typeof first === 'string' && (first.toLowerCase() === 'cosobject' || first === alias)) steps.shift();
  const indexes = node['array_index'];
  for (const item of Array.isArray(indexes) ? indexes : []) {
    const index = isNode(item) && isNode(item['index']) ? item['index']['value'] : undefined;
    if (typeof index !== 'number') throw unsupported('a JSON path index that is not a number');
    steps.push(index);
    const property = isNode(item) && isNode(item['property']) ? item['property']['value'] : undefined;
    if (typeof property === 'string') steps.push(property);
  }
  return steps;
}

/** The value at `steps` under `value`; MISSING when a step finds nothing. */
export function follow(value: SqlValue, steps: readonly PathStep[]): SqlValue {
  let at = value;
  for (const step of steps) {
    if (typeof step === 'number') at = Array.isArray(at) ? at[step] : undefined;
    else at = at !== null && typeof at === 'object' && !Array.isArray(at) && Object.hasOwn(at, step) ? at[step] : undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

const POSITIONAL = /^_([1-9]\d*)$/;

function compileColumn(node: AstNode, scope: Scope): Evaluate {
  if (scope.aggregates && !scope.inAggregate) throw unsupported('a column outside an aggregate in an aggregate query');
  const steps = pathOf(node, scope.alias);
  if (scope.input === 'json') return (row) => ('json' in row ? follow(row.json, steps) : undefined);
  const [name, ...rest] = steps;
  if (typeof name !== 'string' || rest.length > 0) throw unsupported('a path into a CSV column');
  const position = POSITIONAL.exec(name);
  if (position) {
    const index = Number(position[1]) - 1;
    return (row) => ('csv' in row ? row.csv[index] : undefined);
  }
  if (!scope.named) throw cosError('MissingHeaders', { message: `Column ${name} needs FileHeaderInfo USE.` });
  const lower = name.toLowerCase();
  return (row) => {
    if (!('csv' in row)) return undefined;
    const index = row.header?.positions.get(name) ?? row.header?.positions.get(lower);
    return index === undefined ? undefined : row.csv[index];
  };
}

/** A literal's value (string quotes as the parser leaves them: '' inside stands for '). */
function literalOf(node: AstNode): { value: SqlValue } | undefined {
  const value = node['value'];
  switch (nodeType(node)) {
    case 'number':
      return typeof value === 'number' ? { value } : undefined;
    case 'bigint':
      return { value: Number(value) };
    case 'single_quote_string':
    case 'string':
      return typeof value === 'string' ? { value: value.replaceAll("''", "'") } : undefined;
    case 'bool':
      return typeof value === 'boolean' ? { value } : undefined;
    case 'null':
      return { value: null };
    default:
      return undefined;
  }
}

const listOf = (node: unknown): AstNode[] => {
  const values = isNode(node) ? node['value'] : undefined;
  return Array.isArray(values) ? values.filter(isNode) : [];
};

const and = (left: boolean | null, right: boolean | null): boolean | null => (left === false || right === false ? false : left === null || right === null ? null : true);
const or = (left: boolean | null, right: boolean | null): boolean | null => (left === true || right === true ? true : left === null || right === null ? null : false);
const not = (value: boolean | null): boolean | null => (value === null ? null : !value);

const COMPARISONS: Readonly<Record<string, (order: number) => boolean>> = {
  '=': (order) => order === 0,
  '!=': (order) => order !== 0,
  '<>': (order) => order !== 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};

function arithmetic(operator: string, left: number, right: number): number {
  if ((operator === '/' || operator === '%') && right === 0) throw cosError('DivideByZero');
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    default:
      return left % right;
  }
}

/** LIKE's pattern as a RegExp: % any run, _ one character, everything else itself. */
function likePattern(pattern: string): RegExp {
  const source = [...pattern].map((c) => (c === '%' ? '[\\s\\S]*' : c === '_' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'u');
}

function compileLike(left: Evaluate, rightNode: AstNode, scope: Scope): Evaluate {
  const literal = literalOf(rightNode);
  if (literal && typeof literal.value === 'string') {
    const pattern = likePattern(literal.value);
    return (row) => {
      const text = asString(left(row));
      return text === null ? null : pattern.test(text);
    };
  }
  const right = compileExpression(rightNode, scope);
  return (row) => {
    const text = asString(left(row));
    const pattern = asString(right(row));
    return text === null || pattern === null ? null : likePattern(pattern).test(text);
  };
}

function compileBinary(node: AstNode, scope: Scope): Evaluate {
  const operator = String(node['operator']).toUpperCase();
  const leftNode = isNode(node['left']) ? node['left'] : undefined;
  const rightNode = isNode(node['right']) ? node['right'] : undefined;
  if (!leftNode || !rightNode) throw unsupported(`the operator ${operator}`);
  const left = compileExpression(leftNode, scope);
  const negate = (evaluate: Evaluate): Evaluate => (row) => not(asLogical(evaluate(row)));
  switch (operator) {
    case 'AND': {
      const right = compileExpression(rightNode, scope);
      return (row) => and(asLogical(left(row)), asLogical(right(row)));
    }
    case 'OR': {
      const right = compileExpression(rightNode, scope);
      return (row) => or(asLogical(left(row)), asLogical(right(row)));
    }
    case 'LIKE':
      return compileLike(left, rightNode, scope);
    case 'NOT LIKE':
      return negate(compileLike(left, rightNode, scope));
    case 'IN':
    case 'NOT IN': {
      const options = listOf(rightNode).map((item) => compileExpression(item, scope));
      const found: Evaluate = (row) => {
        const value = left(row);
        let unknown = false;
        for (const option of options) {
          const order = compareValues(value, option(row));
          if (order === 0) return true;
          if (order === null) unknown = true;
        }
        return unknown ? null : false;
      };
      return operator === 'IN' ? found : negate(found);
    }
    case 'BETWEEN':
    case 'NOT BETWEEN': {
      const [low, high] = listOf(rightNode).map((item) => compileExpression(item, scope));
      if (!low || !high) throw unsupported('BETWEEN without two bounds');
      const within: Evaluate = (row) => {
        const value = left(row);
        const above = compareValues(value, low(row));
        const below = compareValues(value, high(row));
        return and(above === null ? null : above >= 0, below === null ? null : below <= 0);
      };
      return operator === 'BETWEEN' ? within : negate(within);
    }
    case 'IS':
    case 'IS NOT': {
      if (nodeType(rightNode) !== 'null') throw unsupported(`${operator} other than NULL`);
      const isNull: Evaluate = (row) => {
        const value = left(row);
        return value === null || value === undefined;
      };
      return operator === 'IS' ? isNull : negate(isNull);
    }
    case '||': {
      const right = compileExpression(rightNode, scope);
      return (row) => {
        const [a, b] = [asString(left(row)), asString(right(row))];
        return a === null || b === null ? null : a + b;
      };
    }
    default:
      break;
  }
  const right = compileExpression(rightNode, scope);
  const comparison = COMPARISONS[operator];
  if (comparison) {
    return (row) => {
      const order = compareValues(left(row), right(row));
      return order === null ? null : comparison(order);
    };
  }
  if (['+', '-', '*', '/', '%'].includes(operator)) {
    return (row) => {
      const [a, b] = [asNumber(left(row), operator), asNumber(right(row), operator)];
      return a === null || b === null ? null : arithmetic(operator, a, b);
    };
  }
  throw unsupported(`the operator ${operator}`);
}

function compileUnary(node: AstNode, scope: Scope): Evaluate {
  const operator = String(node['operator']).toUpperCase();
  const operand = isNode(node['expr']) ? compileExpression(node['expr'], scope) : undefined;
  if (!operand) throw unsupported(`the operator ${operator}`);
  if (operator === 'NOT') return (row) => not(asLogical(operand(row)));
  if (operator === '-') {
    return (row) => {
      const value = asNumber(operand(row), '-');
      return value === null ? null : -value;
    };
  }
  if (operator === '+') return (row) => asNumber(operand(row), '+');
  throw unsupported(`the operator ${operator}`);
}

function compileCast(node: AstNode, scope: Scope): Evaluate {
  const targets = node['target'];
  const target = Array.isArray(targets) && isNode(targets[0]) ? targets[0]['dataType'] : undefined;
  const cast = typeof target === 'string' ? castTo(target) : undefined;
  if (!cast || !isNode(node['expr'])) throw cosError('UnsupportedSyntax', { message: `CAST to ${String(target)} is not supported.` });
  const operand = compileExpression(node['expr'], scope);
  return (row) => cast(operand(row));
}

/** A function's name as written, upper-cased. */
function functionName(node: AstNode): string {
  const name = node['name'];
  const parts = isNode(name) && Array.isArray(name['name']) ? name['name'] : [];
  const first: unknown = parts[0];
  return isNode(first) && typeof first['value'] === 'string' ? first['value'].toUpperCase() : String(name).toUpperCase();
}

const stringFunction =
  (argument: Evaluate, apply: (text: string) => SqlValue): Evaluate =>
  (row) => {
    const text = asString(argument(row));
    return text === null ? null : apply(text);
  };

/** SUBSTRING(s, start[, length]), 1-based; a start below 1 shortens the window as SQL says. */
function substring(text: string, start: number, length: number | undefined): string {
  if (length !== undefined && length < 0) throw cosError('IncorrectSqlFunctionArgumentType', { message: 'SUBSTRING length must not be negative.' });
  const chars = [...text];
  const end = length === undefined ? chars.length + 1 : start + length;
  return chars.slice(Math.max(start, 1) - 1, Math.max(end, 1) - 1).join('');
}

/** TRIM(s) or TRIM([BOTH|LEADING|TRAILING] [chars] FROM s); the parser hands the keywords over as `origin` nodes. */
function compileTrim(args: AstNode[], scope: Scope): Evaluate {
  const keyword = (node: AstNode | undefined): string | undefined => (node && nodeType(node) === 'origin' ? String(node['value']).toUpperCase() : undefined);
  const from = args.findIndex((arg) => keyword(arg) === 'FROM');
  const before = from < 0 ? [] : args.slice(0, from);
  const target = from < 0 ? args : args.slice(from + 1);
  const mode = keyword(before[0]) ?? 'BOTH';
  const charsNode = before.find((arg) => keyword(arg) === undefined);
  if (target.length !== 1 || !['BOTH', 'LEADING', 'TRAILING'].includes(mode)) throw unsupported('this TRIM form');
  const [targetNode] = target;
  if (!targetNode) throw unsupported('this TRIM form');
  const operand = compileExpression(targetNode, scope);
  const chars = charsNode ? compileExpression(charsNode, scope) : () => ' ';
  return (row) => {
    const text = asString(operand(row));
    const set = asString(chars(row));
    if (text === null || set === null) return null;
    const strip = new Set(set);
    const list = [...text];
    let [start, end] = [0, list.length];
    if (mode !== 'TRAILING') while (start < end && strip.has(list[start] ?? '')) start++;
    if (mode !== 'LEADING') while (end > start && strip.has(list[end - 1] ?? '')) end--;
    return list.slice(start, end).join('');
  };
}

function compileFunction(node: AstNode, scope: Scope): Evaluate {
  const name = functionName(node);
  const args = listOf(node['args']);
  if (name === 'TRIM') return compileTrim(args, scope);
  const compiled = args.map((arg) => compileExpression(arg, scope));
  const [first, second, third] = compiled;
  const arity = (min: number, max: number): Evaluate => {
    if (!first || compiled.length < min || compiled.length > max) throw cosError('IncorrectSqlFunctionArgumentType', { message: `${name} takes ${min === max ? min : `${min} to ${max}`} arguments.` });
    return first;
  };
  switch (name) {
    case 'LOWER':
      return stringFunction(arity(1, 1), (text) => text.toLowerCase());
    case 'UPPER':
      return stringFunction(arity(1, 1), (text) => text.toUpperCase());
    case 'CHAR_LENGTH':
    case 'CHARACTER_LENGTH':
      return stringFunction(arity(1, 1), (text) => [...text].length);
    case 'SUBSTRING': {
      const text = arity(2, 3);
      return (row) => {
        const value = asString(text(row));
        const start = second ? asNumber(second(row), name) : null;
        const length = third ? asNumber(third(row), name) : undefined;
        return value === null || start === null || length === null ? null : substring(value, Math.trunc(start), length === undefined ? undefined : Math.trunc(length));
      };
    }
    case 'COALESCE':
      arity(1, Infinity);
      return (row) => {
        for (const arg of compiled) {
          const value = arg(row);
          if (value !== null && value !== undefined) return value;
        }
        return null;
      };
    case 'NULLIF': {
      const left = arity(2, 2);
      return (row) => {
        const value = left(row);
        return second && compareValues(value, second(row)) === 0 ? null : value;
      };
    }
    default:
      throw cosError('UnsupportedFunction', { message: `The function ${name} is not supported.` });
  }
}

/** An aggregate's slot: its evaluator reads the total once every record is in. */
function compileAggregate(node: AstNode, scope: Scope): Evaluate {
  const name = String(node['name']).toUpperCase();
  const args = isNode(node['args']) ? node['args'] : {};
  if (!scope.aggregates || scope.inAggregate) throw unsupported(`${name} here`);
  if (args['distinct']) throw unsupported(`${name}(DISTINCT ...)`);
  const argument = isNode(args['expr']) ? args['expr'] : undefined;
  if (!argument) throw unsupported(`${name} without an argument`);
  const star = nodeType(argument) === 'star';
  if (star && name !== 'COUNT') throw unsupported(`${name}(*)`);
  const value = star ? () => true : compileExpression(argument, { ...scope, inAggregate: true });
  const aggregate = newAggregate(name, value);
  scope.aggregates.push(aggregate);
  return () => aggregate.result();
}

function newAggregate(name: string, value: Evaluate): Aggregate {
  let count = 0;
  let total = 0;
  let best: SqlValue = null;
  const present = (row: Row): SqlValue => {
    const found = value(row);
    if (found !== null && found !== undefined) count++;
    return found;
  };
  switch (name) {
    case 'COUNT':
      return { add: (row) => void present(row), result: () => count };
    case 'SUM':
    case 'AVG':
      return {
        add(row) {
          const number = asNumber(present(row), name);
          if (number !== null) total += number;
        },
        result: () => (count === 0 ? null : name === 'SUM' ? total : total / count),
      };
    case 'MIN':
    case 'MAX':
      return {
        add(row) {
          const found = present(row);
          const order = compareValues(found, best);
          if (found !== null && found !== undefined && (count === 1 || (order !== null && (name === 'MIN' ? order < 0 : order > 0)))) best = found;
        },
        result: () => best,
      };
    default:
      throw cosError('UnsupportedFunction', { message: `The aggregate ${name} is not supported.` });
  }
}

export function compileExpression(node: AstNode, scope: Scope): Evaluate {
  const literal = literalOf(node);
  if (literal) return () => literal.value;
  switch (nodeType(node)) {
    case 'column_ref':
      return compileColumn(node, scope);
    case 'binary_expr':
      return compileBinary(node, scope);
    case 'unary_expr':
      return compileUnary(node, scope);
    case 'cast':
      return compileCast(node, scope);
    case 'function':
      return compileFunction(node, scope);
    case 'aggr_func':
      return compileAggregate(node, scope);
    default:
      throw unsupported(`the expression type ${nodeType(node) || 'unknown'}`);
  }
}
