import type { z } from 'zod';

/**
 * A schema's check compiled once into plain functions, for documents written
 * a piece at a time (`--json`'s events and windows): zod's parse builds a
 * copy of every value it checks, which cost more than writing it.
 *
 * The check passes only values that are already exactly what the schema's
 * parse returns: every object key the schema knows, in the schema's order,
 * and no other (zod strips unknown keys and orders them as its shape),
 * every value of the type and within the bounds the schema says. Such a
 * value is written as it is. Any other value goes through zod's own parse:
 * its error (a fault of kforensics, not of the input) or its copy is what is
 * written, as before. A schema using what the compiler does not know
 * (refinements, transforms, defaults, string formats …) is always checked by
 * zod.
 */
type Check = (v: unknown) => boolean;

class Unsupported extends Error {}

// zod 4's schema definitions, as far as the compiler reads them.
interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; format?: string; value?: unknown; inclusive?: boolean } } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  innerType?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, unknown>;
  values?: unknown[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function numberCheck(def: Def): Check {
  const bounds: Check[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format' && (d.format === 'safeint' || d.format === 'int32' || d.format === 'uint32')) {
      bounds.push(d.format === 'safeint' ? (n) => Number.isSafeInteger(n)
        : d.format === 'int32' ? (n) => Number.isInteger(n) && (n as number) >= -2147483648 && (n as number) <= 2147483647
          : (n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 4294967295);
    } else if ((d.check === 'greater_than' || d.check === 'less_than') && typeof d.value === 'number') {
      const limit = d.value;
      const inclusive = d.inclusive === true;
      bounds.push(d.check === 'greater_than'
        ? (inclusive ? (n) => (n as number) >= limit : (n) => (n as number) > limit)
        : (inclusive ? (n) => (n as number) <= limit : (n) => (n as number) < limit));
    } else {
      throw new Unsupported(d.check);
    }
  }
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    for (let i = 0; i < bounds.length; i++) if (!bounds[i]!(v)) return false;
    return true;
  };
}

/** Schemas whose parse returns the value itself whenever it passes (nothing in them to strip or reorder). */
function valuesOnly(schema: z.ZodType): boolean {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': case 'number': case 'boolean': case 'literal': case 'enum': return true;
    case 'nullable': case 'optional': return valuesOnly(def.innerType!);
    case 'array': return valuesOnly(def.element!);
    case 'union': return (def.options ?? []).every(valuesOnly);
    default: return false;
  }
}

function compile(schema: z.ZodType): Check {
  const def = defOf(schema);
  if (def.checks && def.checks.length > 0 && def.type !== 'number') throw new Unsupported(`${def.type} with checks`);
  switch (def.type) {
    case 'string': return (v) => typeof v === 'string';
    case 'boolean': return (v) => typeof v === 'boolean';
    case 'number': return numberCheck(def);
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (v) => values.has(v);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'optional': {
      const inner = compile(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'array': {
      const element = compile(def.element!);
      return (v) => {
        if (!Array.isArray(v)) return false;
        // By index: a hole is undefined to zod (and null to JSON.stringify), which every() would skip.
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'union': {
      // zod takes the first option that parses, which may strip an object another option would keep whole: unions of
      // values only (no object in them), where any option that passes returns the value itself.
      if (!(def.options ?? []).every(valuesOnly)) throw new Unsupported('union with objects');
      const options = (def.options ?? []).map(compile);
      return (v) => {
        for (let i = 0; i < options.length; i++) if (options[i]!(v)) return true;
        return false;
      };
    }
    case 'record': {
      if (defOf(def.keyType!).type !== 'string' || defOf(def.keyType!).checks?.length) throw new Unsupported('record keys');
      const value = compile(def.valueType!);
      return (v) => {
        if (!isPlainObject(v)) return false;
        // for-in, not Object.keys: no array made per value. The same keys in the same order (a plain object's prototype has no enumerable
        // key; were one added, it is checked too, and one that fails sends the value to zod).
        for (const k in v) if (!value(v[k])) return false;
        return true;
      };
    }
    case 'object': {
      if (def.catchall !== undefined) throw new Unsupported('object catchall');
      const members = Object.entries(def.shape ?? {}).map(([key, s]) => ({ key, check: compile(s), optional: defOf(s).type === 'optional' }));
      const count = members.length;
      return (v) => {
        if (!isPlainObject(v)) return false;
        // The value's keys (for-in: Object.keys's order, and no array made per value) must be the schema's, in its order, with
        // only optional members absent.
        let at = 0;
        for (const k in v) {
          for (; at < count && members[at]!.key !== k; at++) {
            const m = members[at]!;
            if (!m.optional || Object.hasOwn(v, m.key)) return false;
          }
          // A key the schema does not know, or one out of its order.
          if (at === count) return false;
          if (!members[at]!.check(v[k])) return false;
          at++;
        }
        for (; at < count; at++) {
          const m = members[at]!;
          if (!m.optional || Object.hasOwn(v, m.key)) return false;
        }
        return true;
      };
    }
    default:
      throw new Unsupported(def.type);
  }
}

/**
 * `schema.parse`, for values written as JSON: the value itself where the
 * compiled check passes it (it is then what the parse would return), else
 * zod's parse (its copy, or its error).
 */
export function compiledParse<S extends z.ZodType>(schema: S): (value: unknown) => z.infer<S> {
  let check: Check | undefined;
  try {
    check = compile(schema);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  if (!check) return (value) => schema.parse(value);
  const passes = check;
  return (value) => (passes(value) ? (value as z.infer<S>) : schema.parse(value));
}
