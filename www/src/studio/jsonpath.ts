// Where each JSON path of a document starts and ends in its text, so a lint finding's path
// (`products[0].price[1]`) can be highlighted in the read-only view. A small scanner, not a
// parser: it tolerates broken documents and records what it reached.

/** Text offsets `[start, end)` of each value (and of each key, for paths of unknown fields). */
export type PathIndex = Map<string, [number, number]>;

export function indexPaths(text: string): PathIndex {
  const index: PathIndex = new Map();
  let at = 0;
  const space = (): void => {
    while (at < text.length && /\s/.test(text[at] ?? "")) at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return text.slice(start + 1, at - 1);
    }
  };
  const join = (parent: string, key: string): string => (parent === "" ? key : `${parent}.${key}`);
  const value = (path: string, depth: number): void => {
    space();
    const start = at;
    const c = text[at];
    if (depth > 64 || c === undefined) return;
    if (c === "{") {
      at++;
      for (;;) {
        space();
        if (text[at] === "}") { at++; break; }
        if (text[at] !== '"') return;
        const keyStart = at;
        const key = string();
        const child = join(path, key);
        space();
        if (text[at] !== ":") return;
        at++;
        value(child, depth + 1);
        const range = index.get(child);
        if (range) index.set(child, [keyStart, range[1]]);
        space();
        if (text[at] === ",") { at++; continue; }
        if (text[at] === "}") { at++; break; }
        return;
      }
    } else if (c === "[") {
      at++;
      for (let i = 0; ; i++) {
        space();
        if (text[at] === "]") { at++; break; }
        value(`${path}[${i}]`, depth + 1);
        space();
        if (text[at] === ",") { at++; continue; }
        if (text[at] === "]") { at++; break; }
        return;
      }
    } else if (c === '"') {
      string();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at] ?? "")) at++;
    }
    index.set(path, [start, at]);
  };
  value("", 0);
  return index;
}

/** The range of `path`, or of its nearest recorded ancestor (a path into a broken tail). */
export function locate(index: PathIndex, path: string): [number, number] | undefined {
  let current = path;
  for (;;) {
    const range = index.get(current);
    if (range) return range;
    const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
    if (cut <= 0) return index.get("");
    current = current.slice(0, cut);
  }
}
