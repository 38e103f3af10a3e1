/** `import type` statements for the type names a generated file refers to. */

/**
 * One `import type { … } from "…"` line per module, modules and names sorted so output is
 * stable. Names declared by `self` (the importing module) are skipped.
 */
export function typeImports(
  uses: Iterable<string>,
  moduleOf: ReadonlyMap<string, string>,
  self: string | undefined,
  specifier: (module: string) => string,
): string {
  const byModule = new Map<string, Set<string>>();
  for (const name of uses) {
    const module = moduleOf.get(name);
    if (module === undefined || module === self) continue;
    let names = byModule.get(module);
    if (names === undefined) byModule.set(module, (names = new Set()));
    names.add(name);
  }
  return [...byModule]
    .map(([module, names]) => [specifier(module), [...names].sort()] as const)
    .sort(([a], [b]) => compare(a, b))
    .map(([from, names]) => importLine(names, from))
    .join("");
}

const LINE_WIDTH = 120;

/** One line when it fits, else one name per line. */
function importLine(names: readonly string[], from: string): string {
  const line = `import type { ${names.join(", ")} } from "${from}";\n`;
  if (line.length <= LINE_WIDTH) return line;
  return `import type {\n${names.map((name) => `  ${name},\n`).join("")}} from "${from}";\n`;
}

/** Plain code-unit comparison: unlike `localeCompare`, it does not depend on the machine's locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
