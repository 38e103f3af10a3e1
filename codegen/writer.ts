/**
 * Writing the generated files. Each output directory is owned entirely by the generator, so
 * files it no longer produces (e.g. a group that left the spec) are deleted; that keeps
 * `git diff --exit-code` after a regeneration meaningful.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface WriteResult {
  readonly written: number;
  readonly unchanged: number;
  readonly deleted: number;
}

/**
 * Writes `files` (paths relative to `root`) and removes other files in `ownedDirs`. Files whose
 * content is already right are not rewritten, so timestamps of unchanged outputs stay put.
 */
export function writeFiles(root: string, files: ReadonlyMap<string, string>, ownedDirs: readonly string[]): WriteResult {
  let written = 0;
  let unchanged = 0;
  let deleted = 0;
  for (const dir of ownedDirs) {
    for (const file of listFiles(join(root, dir))) {
      const relative = join(dir, file).split("\\").join("/");
      if (!files.has(relative)) {
        rmSync(join(root, relative));
        deleted++;
      }
    }
  }
  for (const [relative, content] of files) {
    const target = join(root, relative);
    if (readOrUndefined(target) === content) {
      unchanged++;
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written++;
  }
  return { written, unchanged, deleted };
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
