// The one place where document URIs become file paths and back. A document that is not a file
// (an unsaved `untitled:` buffer) keeps its URI as its "file" name, so the core still gets a name.
import { fileURLToPath, pathToFileURL } from "node:url";

export function uriToFile(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export function fileToUri(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) return file;
  return pathToFileURL(file).href;
}

/** Two URIs for the same file may differ in escaping (VS Code escapes `:` on Windows drives); compare as paths. */
export function sameFile(a: string, b: string): boolean {
  return uriToFile(a) === uriToFile(b);
}
