// CSV in and out. Out: RFC 4180 quoting of the strings the engine returned (no number is
// reformatted). In: a CSV of applicants becomes JSON lines, with numeric cells copied digit for
// digit as JSON numbers (the engine reads them exactly), everything else as strings.

/** One CSV line from cells. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(",");
}

/** A whole CSV document (CRLF line ends, as RFC 4180 says). */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  return rows.map(csvLine).join("\r\n") + "\r\n";
}

/** Splits CSV text into rows of cells (quoted cells may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell); rows.push(row); row = []; cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ""));
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** Applicants as JSON lines: JSON lines pass through, CSV (first row = field names) is converted. */
export function applicantLines(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.startsWith("{")) return text;
  const [header, ...rows] = parseCsv(text);
  if (!header) return "";
  return rows.map((cells) => {
    const fields: string[] = [];
    header.forEach((name, i) => {
      const cell = (cells[i] ?? "").trim();
      if (cell === "") return;
      fields.push(`${JSON.stringify(name.trim())}:${NUMBER.test(cell) ? cell : JSON.stringify(cell)}`);
    });
    return `{${fields.join(",")}}`;
  }).join("\n");
}

/** Offers a file download of `text`. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
