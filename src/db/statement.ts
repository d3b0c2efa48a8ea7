/**
 * Parameters for one statement that several modules contribute parts to (for example a
 * WITH statement whose parts write different modules' tables): each part adds its values
 * here and writes the placeholder it gets back.
 */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
