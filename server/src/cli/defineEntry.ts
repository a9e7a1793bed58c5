/** Adds a key as an own property: `obj[key] = v` with key "__proto__" would set the prototype instead. */
export function defineEntry(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
