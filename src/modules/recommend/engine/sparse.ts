/** Compressed sparse row matrix of item-item weights. */
export interface CsrMatrix {
  rows: number;
  rowStart: Int32Array; // length rows + 1
  cols: Int32Array;
  values: Float32Array;
}

/** Collects (row, col, value) triplets; duplicates are summed when built. */
export class TripletBuilder {
  private rowsBuf = new Int32Array(1 << 16);
  private colsBuf = new Int32Array(1 << 16);
  private valuesBuf = new Float32Array(1 << 16);
  private length = 0;

  constructor(readonly rows: number) {}

  add(row: number, col: number, value: number): void {
    if (this.length === this.rowsBuf.length) this.grow();
    this.rowsBuf[this.length] = row;
    this.colsBuf[this.length] = col;
    this.valuesBuf[this.length] = value;
    this.length++;
  }

  build(): CsrMatrix {
    const { rows, length } = this;
    const rowStart = new Int32Array(rows + 1);
    for (let i = 0; i < length; i++) rowStart[this.rowsBuf[i] + 1]++;
    for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
    const cursor = rowStart.slice(0, rows);
    const cols = new Int32Array(length);
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const at = cursor[this.rowsBuf[i]]++;
      cols[at] = this.colsBuf[i];
      values[at] = this.valuesBuf[i];
    }
    return mergeDuplicates({ rows, rowStart, cols, values });
  }

  private grow(): void {
    const size = this.rowsBuf.length * 2;
    const rows = new Int32Array(size);
    const cols = new Int32Array(size);
    const values = new Float32Array(size);
    rows.set(this.rowsBuf);
    cols.set(this.colsBuf);
    values.set(this.valuesBuf);
    this.rowsBuf = rows;
    this.colsBuf = cols;
    this.valuesBuf = values;
  }
}

/** Sums duplicate columns within each row (using a dense scratch row). */
function mergeDuplicates(m: CsrMatrix): CsrMatrix {
  const slot = new Int32Array(maxCol(m) + 1).fill(-1);
  const rowStart = new Int32Array(m.rows + 1);
  const cols = new Int32Array(m.cols.length);
  const values = new Float32Array(m.cols.length);
  let out = 0;
  for (let r = 0; r < m.rows; r++) {
    const begin = out;
    for (let i = m.rowStart[r]; i < m.rowStart[r + 1]; i++) {
      const c = m.cols[i];
      if (slot[c] >= begin) {
        values[slot[c]] += m.values[i];
      } else {
        slot[c] = out;
        cols[out] = c;
        values[out++] = m.values[i];
      }
    }
    rowStart[r + 1] = out;
  }
  return { rows: m.rows, rowStart, cols: cols.slice(0, out), values: values.slice(0, out) };
}

function maxCol(m: CsrMatrix): number {
  let max = 0;
  for (let i = 0; i < m.cols.length; i++) if (m.cols[i] > max) max = m.cols[i];
  return max;
}

/** Adds weight * row(r) of the matrix into a dense vector, noting columns that were 0. */
export function addRow(m: CsrMatrix, r: number, weight: number, into: Float32Array, touched?: number[]): void {
  for (let i = m.rowStart[r]; i < m.rowStart[r + 1]; i++) {
    const c = m.cols[i];
    if (touched && into[c] === 0) touched.push(c);
    into[c] += weight * m.values[i];
  }
}

export function rowSum(m: CsrMatrix, r: number): number {
  let sum = 0;
  for (let i = m.rowStart[r]; i < m.rowStart[r + 1]; i++) sum += m.values[i];
  return sum;
}

/** Scales every stored value: v[r][c] *= f(r, c, v). */
export function mapValues(m: CsrMatrix, f: (row: number, col: number, value: number) => number): CsrMatrix {
  const values = new Float32Array(m.values.length);
  for (let r = 0; r < m.rows; r++) {
    for (let i = m.rowStart[r]; i < m.rowStart[r + 1]; i++) values[i] = f(r, m.cols[i], m.values[i]);
  }
  return { ...m, values };
}
