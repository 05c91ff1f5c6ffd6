/**
 * Finds unknown fields. The Kubernetes OpenAPI schemas never say `additionalProperties: false`, yet
 * the API server (and `kubectl apply`, which validates strictly) refuses fields it does not know, and
 * a typo such as `imagePullPolice` is the most common manifest mistake. So we watch which keys the
 * schema's validator reads: a validator reads every property its schema declares and enumerates the
 * keys of free-form maps (labels, ConfigMap data), so a key in an object that was read but neither
 * looked up nor enumerated is a field the schema does not know. Objects the validator never looks into
 * (embedded raw objects, preserve-unknown-fields) are free-form and skipped.
 */
import type { FieldPath } from '../parse/field-path.ts';

interface Reads {
  keys: Set<string>;
  enumerated: boolean;
}

export interface FieldTracker {
  /** `value` behind a proxy that records the validator's reads. */
  readonly watched: unknown;
  /** Paths of the keys the validator never read. */
  unknownFields(): FieldPath[];
}

export function trackFields(value: unknown): FieldTracker {
  const reads = new WeakMap<object, Reads>();
  const proxies = new WeakMap<object, object>();

  const readsOf = (target: object): Reads => {
    let entry = reads.get(target);
    if (entry === undefined) {
      entry = { keys: new Set(), enumerated: false };
      reads.set(target, entry);
    }
    return entry;
  };
  const watch = (child: unknown): unknown => {
    if (child === null || typeof child !== 'object') return child;
    let proxy = proxies.get(child);
    if (proxy === undefined) {
      const entry = readsOf(child);
      proxy = new Proxy(child, {
        get(target, key, receiver) {
          if (typeof key === 'string') entry.keys.add(key);
          return watch(Reflect.get(target, key, receiver));
        },
        has(target, key) {
          if (typeof key === 'string') entry.keys.add(key);
          return Reflect.has(target, key);
        },
        getOwnPropertyDescriptor(target, key) {
          if (typeof key === 'string') entry.keys.add(key);
          return Reflect.getOwnPropertyDescriptor(target, key);
        },
        ownKeys(target) {
          entry.enumerated = true;
          return Reflect.ownKeys(target);
        },
      });
      proxies.set(child, proxy);
    }
    return proxy;
  };

  return {
    watched: watch(value),
    unknownFields() {
      const unknown: FieldPath[] = [];
      const stack: { value: unknown; path: FieldPath }[] = [{ value, path: [] }];
      while (stack.length > 0) {
        const { value: current, path } = stack.pop() as { value: unknown; path: FieldPath };
        if (current === null || typeof current !== 'object') continue;
        const entry = reads.get(current);
        if (entry === undefined) continue;
        const children = Array.isArray(current) ? [...current.entries()] : Object.entries(current);
        const declared = !Array.isArray(current) && !entry.enumerated && entry.keys.size > 0;
        const next: { value: unknown; path: FieldPath }[] = [];
        for (const [key, child] of children) {
          if (declared && !entry.keys.has(key as string)) unknown.push([...path, key]);
          else next.push({ value: child, path: [...path, key] });
        }
        for (let index = next.length - 1; index >= 0; index--)
          stack.push(next[index] as (typeof next)[number]);
      }
      return unknown;
    },
  };
}
