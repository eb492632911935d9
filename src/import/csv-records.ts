/**
 * A streaming RFC 4180 splitter for the canonical files, built for the importer's hot path: a line
 * without a quote character is cut with `split(',')`, a record with quotes is walked character by
 * character. It accepts what csv-parse accepted with the options the importer used (BOM, `\n`,
 * `\r\n` or `\r` line ends detected from the first one, empty lines skipped, quoted fields with
 * doubled quotes and line breaks) and reports the same malformed input (a quote opened inside a
 * field, text after a closing quote, a quote never closed, a record over the size limit) with the
 * physical line it is on. Each record carries the line it ends on, as csv-parse's `info.lines` did.
 */

export type CsvRecord = { cells: string[]; line: number };

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

export class CsvSplitter {
  /** Unconsumed text: the start of a record whose end has not arrived yet. */
  private pending = '';
  /** Physical line the pending text starts on (1-based). */
  private line = 1;
  /** The record delimiter's last character once detected: LF (`\n`, `\r\n`) or CR (`\r`). */
  private delimiter: number | null = null;
  private started = false;

  constructor(private readonly maxRecordChars: number) {}

  /** Splits the records completed by `chunk`; the rest waits for the next chunk or `end`. */
  push(chunk: string, out: CsvRecord[]): void {
    let text = this.pending + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.pending = text.slice(this.split(text, out, false));
  }

  /** Splits what is left at the end of the input. */
  end(out: CsvRecord[]): void {
    const text = this.pending;
    this.pending = '';
    this.split(text, out, true);
  }

  private detect(text: string, from: number): void {
    // The first line break outside quotes decides, as csv-parse's auto-detection did.
    let inQuotes = false;
    for (let index = from; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) inQuotes = !inQuotes;
      else if (!inQuotes && code === LF) {
        this.delimiter = LF;
        return;
      } else if (!inQuotes && code === CR) {
        if (index + 1 >= text.length) return; // `\r` then `\n`? Wait for the next chunk.
        this.delimiter = text.charCodeAt(index + 1) === LF ? LF : CR;
        return;
      }
    }
  }

  /** Returns the offset of the first character not consumed. */
  private split(text: string, out: CsvRecord[], final: boolean): number {
    let position = 0;
    if (this.delimiter === null) this.detect(text, 0);
    const delimiter = this.delimiter ?? LF;
    const breakChar = delimiter === LF ? '\n' : '\r';
    let nextQuote = text.indexOf('"');
    while (position < text.length) {
      let lineEnd = text.indexOf(breakChar, position);
      if (lineEnd === -1) {
        if (!final) break;
        lineEnd = text.length;
      }
      if (nextQuote !== -1 && nextQuote < position) nextQuote = text.indexOf('"', position);
      if (nextQuote === -1 || nextQuote > lineEnd) {
        // No quote on this line: the common case.
        let end = lineEnd;
        if (delimiter === LF && end > position && text.charCodeAt(end - 1) === CR) end -= 1;
        if (end - position > this.maxRecordChars) this.tooLong(this.line);
        if (end > position) out.push({ cells: text.slice(position, end).split(','), line: this.line });
        position = lineEnd + 1;
        this.line += 1;
        continue;
      }
      const consumed = this.quoted(text, position, out, final);
      if (consumed === -1) break;
      position = consumed;
    }
    if (!final && text.length - position > this.maxRecordChars) this.tooLong(this.line);
    return Math.min(position, text.length);
  }

  /**
   * Walks one record that holds a quote. Returns the offset after its line break, or -1 when the
   * record is not complete in `text` (more input is coming).
   */
  private quoted(text: string, start: number, out: CsvRecord[], final: boolean): number {
    const delimiter = this.delimiter ?? LF;
    const cells: string[] = [];
    let line = this.line;
    let index = start;
    while (true) {
      // At the start of a field.
      if (index < text.length && text.charCodeAt(index) === QUOTE) {
        let value = '';
        let from = index + 1;
        while (true) {
          const close = text.indexOf('"', from);
          if (close === -1) {
            if (!final) return -1;
            // The line the unclosed field reaches, not counting a final line break.
            const last = text.charCodeAt(text.length - 1) === delimiter ? text.length - 1 : text.length;
            for (let at = from; at < last; at += 1) if (text.charCodeAt(at) === delimiter) line += 1;
            throw new CsvSyntaxError(
              `Quote Not Closed: the parsing is finished with an opening quote at line ${line}`,
              line,
            );
          }
          for (let at = from; at < close; at += 1) if (text.charCodeAt(at) === delimiter) line += 1;
          if (close + 1 >= text.length && !final) return -1;
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          index = close + 1;
          break;
        }
        cells.push(value);
        const after = index < text.length ? text.charCodeAt(index) : -1;
        if (after === COMMA) {
          index += 1;
          continue;
        }
        const ends = this.recordEnd(text, index, final);
        if (ends === -1) return -1;
        if (ends === null) {
          throw new CsvSyntaxError(
            `Invalid Closing Quote: got "${text[index]}" at line ${line} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
            line,
          );
        }
        return this.emit(cells, line, ends, start, out);
      }
      // An unquoted field: up to the next comma or line end; a quote inside it is an error.
      let at = index;
      while (at < text.length) {
        const code = text.charCodeAt(at);
        if (
          code === COMMA ||
          code === delimiter ||
          (delimiter === LF && code === CR && this.crlfAt(text, at))
        )
          break;
        if (code === QUOTE) {
          throw new CsvSyntaxError(
            `Invalid Opening Quote: a quote is found on field ${cells.length} at line ${line}, value is "${text.slice(index, at)}"`,
            line,
          );
        }
        at += 1;
      }
      if (at >= text.length && !final) return -1;
      cells.push(text.slice(index, at));
      if (at < text.length && text.charCodeAt(at) === COMMA) {
        index = at + 1;
        continue;
      }
      const ends = this.recordEnd(text, at, final);
      if (ends === -1 || ends === null) return -1;
      return this.emit(cells, line, ends, start, out);
    }
  }

  private crlfAt(text: string, at: number): boolean {
    return at + 1 < text.length && text.charCodeAt(at + 1) === LF;
  }

  /** At a record's end: the offset after its line break; null if something else is there; -1: need more. */
  private recordEnd(text: string, at: number, final: boolean): number | null | -1 {
    if (at >= text.length) return final ? text.length : -1;
    const code = text.charCodeAt(at);
    const delimiter = this.delimiter ?? LF;
    if (code === delimiter) return at + 1;
    if (delimiter === LF && code === CR) {
      if (at + 1 >= text.length) return final ? null : -1;
      return text.charCodeAt(at + 1) === LF ? at + 2 : null;
    }
    return null;
  }

  private emit(cells: string[], line: number, next: number, start: number, out: CsvRecord[]): number {
    if (next - start > this.maxRecordChars) this.tooLong(line);
    out.push({ cells, line });
    this.line = line + 1;
    return next;
  }

  private tooLong(line: number): never {
    throw new CsvSyntaxError(
      `Max Record Size: record exceed the maximum number of tolerated bytes of ${this.maxRecordChars} at line ${line}`,
      line,
    );
  }
}
